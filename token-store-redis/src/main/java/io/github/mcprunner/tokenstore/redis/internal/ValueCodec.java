package io.github.mcprunner.tokenstore.redis.internal;

import static java.util.Objects.requireNonNull;

import io.github.mcprunner.headers.oauth.store.ClientRegistration;
import io.github.mcprunner.headers.oauth.store.StoredToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Turns stored values into the strings kept in Redis and back: {@code v1.<key id>.<base64url of
 * nonce and AES-GCM ciphertext>}, authenticated together with the Redis key it is stored under (so
 * that a value moved to another key does not decrypt), or {@code v1..<base64url of the plain
 * bytes>} when told to store in clear. Values are encrypted with the current key and decrypted with
 * whichever configured key their id names. Not public API.
 */
public final class ValueCodec {
  private static final String VERSION = "v1";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final byte TOKEN = 1;
  private static final byte REGISTRATION = 2;

  private final Map<String, SecretKey> keys;
  private final @Nullable String currentKeyId;
  private final SecureRandom random = new SecureRandom();

  private ValueCodec(Map<String, SecretKey> keys, @Nullable String currentKeyId) {
    this.keys = keys;
    this.currentKeyId = currentKeyId;
  }

  /** Returns a codec that stores values in clear (and still reads values encrypted with no key). */
  public static ValueCodec clear() {
    return new ValueCodec(Map.of(), null);
  }

  /**
   * Returns a codec encrypting with {@code currentKeyId}'s key and decrypting with any of {@code
   * keys} (AES keys of 16, 24 or 32 bytes by id).
   *
   * @throws IllegalArgumentException naming the key id (never the key) if one is unusable
   */
  public static ValueCodec encrypting(Map<String, byte[]> keys, String currentKeyId) {
    Map<String, SecretKey> secretKeys = new LinkedHashMap<>();
    keys.forEach(
        (id, key) -> {
          if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                "encryption key id must be 1 to 64 letters, digits, '_' or '-'");
          }
          if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException(
                "encryption key '" + id + "' must be 16, 24 or 32 bytes (AES), not " + key.length);
          }
          secretKeys.put(id, new SecretKeySpec(key.clone(), "AES"));
        });
    if (!secretKeys.containsKey(requireNonNull(currentKeyId, "currentKeyId"))) {
      throw new IllegalArgumentException(
          "the current encryption key '" + currentKeyId + "' is not among the keys configured");
    }
    return new ValueCodec(Map.copyOf(secretKeys), currentKeyId);
  }

  /** Returns the id of the key values are encrypted with, or null when stored in clear. */
  public @Nullable String currentKeyId() {
    return currentKeyId;
  }

  /** Encodes {@code token} to be stored under {@code redisKey}. */
  public String encode(String redisKey, StoredToken token) {
    return seal(redisKey, tokenBytes(token));
  }

  /** Encodes {@code registration} to be stored under {@code redisKey}. */
  public String encode(String redisKey, ClientRegistration registration) {
    return seal(redisKey, registrationBytes(registration));
  }

  /**
   * Decodes a token stored under {@code redisKey}.
   *
   * @throws IllegalArgumentException if the value cannot be read (unknown key id, tampered, another
   *     key's value); the message holds no part of the value
   */
  public StoredToken decodeToken(String redisKey, String value) {
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(open(redisKey, value)))) {
      if (in.readByte() != TOKEN) {
        throw new IllegalArgumentException("the value is not a token");
      }
      String accessToken = in.readUTF();
      Instant expiresAt = Instant.ofEpochMilli(in.readLong());
      Instant refreshAt = Instant.ofEpochMilli(in.readLong());
      String refreshToken = optional(in);
      String scope = optional(in);
      return StoredToken.of(accessToken, expiresAt, refreshAt, refreshToken, scope);
    } catch (IOException e) {
      throw new IllegalArgumentException("the value is truncated");
    }
  }

  /** Decodes a registration stored under {@code redisKey}; errors as {@link #decodeToken}. */
  public ClientRegistration decodeRegistration(String redisKey, String value) {
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(open(redisKey, value)))) {
      if (in.readByte() != REGISTRATION) {
        throw new IllegalArgumentException("the value is not a client registration");
      }
      String issuer = in.readUTF();
      String clientId = in.readUTF();
      String secret = optional(in);
      String method = in.readUTF();
      return ClientRegistration.of(issuer, clientId, secret, method);
    } catch (IOException e) {
      throw new IllegalArgumentException("the value is truncated");
    }
  }

  private String seal(String redisKey, byte[] plain) {
    if (currentKeyId == null) {
      return VERSION + ".." + Base64.getUrlEncoder().withoutPadding().encodeToString(plain);
    }
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(currentKeyId, redisKey));
      byte[] sealed = cipher.doFinal(plain);
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return VERSION
          + "."
          + currentKeyId
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName());
    }
  }

  private byte[] open(String redisKey, String value) {
    String[] parts = value.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      throw new IllegalArgumentException("the value is not in a known format");
    }
    byte[] body;
    try {
      body = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the value is not in a known format");
    }
    String keyId = parts[1];
    if (keyId.isEmpty()) {
      if (currentKeyId != null) {
        // An encrypting store never trusts a clear value: anyone with access to Redis could plant
        // it.
        throw new IllegalArgumentException("the value is stored in clear, and encryption is on");
      }
      return body;
    }
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new IllegalArgumentException(
          "the value is encrypted with key '"
              + (KEY_ID.matcher(keyId).matches() ? keyId : "?")
              + "', which is not configured");
    }
    if (body.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalArgumentException("the value is truncated");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, body, 0, NONCE_BYTES));
      cipher.updateAAD(aad(keyId, redisKey));
      return cipher.doFinal(body, NONCE_BYTES, body.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the value does not decrypt with key '" + keyId + "' (tampered, or stored elsewhere)");
    }
  }

  private static byte[] aad(String keyId, String redisKey) {
    return (VERSION + "." + keyId + "." + redisKey).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] tokenBytes(StoredToken token) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(TOKEN);
      out.writeUTF(token.accessToken());
      out.writeLong(token.expiresAt().toEpochMilli());
      out.writeLong(token.refreshAt().toEpochMilli());
      optional(out, token.refreshToken());
      optional(out, token.scope());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] registrationBytes(ClientRegistration registration) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(REGISTRATION);
      out.writeUTF(registration.issuer());
      out.writeUTF(registration.clientId());
      optional(out, registration.clientSecret());
      out.writeUTF(registration.authMethod());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void optional(DataOutputStream out, @Nullable String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeUTF(value);
    }
  }

  private static @Nullable String optional(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
