package io.github.mcprunner.headers.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcprunner.headers.config.HeaderConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ValueResolverTest {

  @TempDir Path dir;

  private final InputFiles files =
      new InputFiles(
          new InputFiles.PermissionWarnings(LoggerFactory.getLogger(ValueResolverTest.class)));

  private ValueResolver resolver() {
    return new ValueResolver(Map.of("EMPTY", ""), Map.of(), files);
  }

  @Test
  void fileReferenceReadsTheTrimmedContentRelativeToTheBaseDirectory() throws IOException {
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/token"), "  s3cr3t-token \n\n");

    String resolved = resolver().resolve("Bearer ${file:secrets/token}", dir, "here");

    assertThat(resolved).isEqualTo("Bearer s3cr3t-token");
    assertThat(files.inputs())
        .extracting(InputFiles.Input::path)
        .containsExactly(dir.resolve("secrets/token"));
  }

  @Test
  void missingFileIsNamedWithTheKey() {
    assertThatThrownBy(() -> resolver().resolve("${file:nope}", dir, "File 'h' line 2, key 'k'"))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessage("File 'h' line 2, key 'k': ${file:nope} names a file that does not exist");
  }

  @Test
  void tooLargeFileIsRefused() throws IOException {
    Files.write(dir.resolve("big"), new byte[ValueResolver.MAX_SECRET_FILE_BYTES + 1]);
    assertThatThrownBy(() -> resolver().resolve("${file:big}", dir, "here"))
        .isInstanceOf(HeaderConfigException.class)
        .hasMessage("here: ${file:big} names a file larger than 65536 bytes");
  }

  @Test
  void unsetVariablesAndPropertiesAreNamed() {
    assertThatThrownBy(() -> resolver().resolve("${env:CRM_KEY}", null, "here"))
        .hasMessage("here: ${env:CRM_KEY} names an environment variable that is not set");
    assertThatThrownBy(() -> resolver().resolve("${sys:crm.key}", null, "here"))
        .hasMessage("here: ${sys:crm.key} names a system property that is not set");
  }

  @Test
  void emptyVariableIsAValue() {
    assertThat(resolver().resolve("a${env:EMPTY}b", null, "here")).isEqualTo("ab");
  }

  @Test
  void referenceWithoutTypeOrNameIsRefused() {
    for (String raw : new String[] {"${NAME}", "${env:}", "${:x}", "${}"}) {
      assertThatThrownBy(() -> resolver().resolve(raw, null, "here"))
          .isInstanceOf(HeaderConfigException.class)
          .hasMessage(
              "here: the reference at index 0 is not ${env:NAME}, ${sys:name} or ${file:path}"
                  + " (write $${ for a literal ${)");
    }
  }

  @Test
  void fileContentIsDecodedAsUtf8() throws IOException {
    Files.write(dir.resolve("s"), "caf\u00e9".getBytes(StandardCharsets.UTF_8));
    assertThat(resolver().resolve("${file:s}", dir, "here")).isEqualTo("caf\u00e9");
  }
}
