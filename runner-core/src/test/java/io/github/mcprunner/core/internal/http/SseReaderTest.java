package io.github.mcprunner.core.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  /** What the reader reported, in order: events as "id|type|data", retries as "retry=ms". */
  private static List<String> read(String stream, int stopAfter) throws IOException {
    return read(stream, stopAfter, StreamableHttpClientTransport.MAX_MESSAGE_BYTES);
  }

  private static List<String> read(String stream, int stopAfter, int maxBytes) throws IOException {
    List<String> seen = new ArrayList<>();
    SseReader.read(
        new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)),
        new SseReader.Listener() {
          int events;

          @Override
          public boolean onEvent(@Nullable String id, String type, String data) {
            seen.add(id + "|" + type + "|" + data);
            return ++events < stopAfter;
          }

          @Override
          public void onRetry(Duration retry) {
            seen.add("retry=" + retry.toMillis());
          }
        },
        maxBytes);
    return seen;
  }

  private static List<String> read(String stream) throws IOException {
    return read(stream, Integer.MAX_VALUE);
  }

  @Test
  void primingEventCarriesItsIdAndRetryAndEmptyData() throws IOException {
    assertThat(read("id: event-1\nretry: 500\ndata: \n\n"))
        .containsExactly("retry=500", "event-1|message|");
  }

  @Test
  void dataLinesAreJoinedAndTheIdPersistsAcrossEvents() throws IOException {
    assertThat(read("id: 7\nevent: message\ndata: {\"a\":\ndata: 1}\n\ndata: x\n\n"))
        .containsExactly("7|message|{\"a\":\n1}", "7|message|x");
  }

  @Test
  void crLfAndCrEndLinesAsLfDoes() throws IOException {
    assertThat(read("id: a\r\ndata: one\r\n\r\nid: b\rdata: two\r\r"))
        .containsExactly("a|message|one", "b|message|two");
  }

  @Test
  void commentsUnknownFieldsAndMalformedRetriesAreIgnored() throws IOException {
    assertThat(read(": keep-alive\nfoo: bar\nretry: 5x\nretry:\ndata:no-space\n\n"))
        .containsExactly("null|message|no-space");
  }

  @Test
  void anIdWithNulIsIgnoredAndAnEmptyIdClearsIt() throws IOException {
    assertThat(read("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\nid:\ndata: c\n\n"))
        .containsExactly("1|message|a", "1|message|b", "null|message|c");
  }

  @Test
  void anEventNotEndedByABlankLineIsDropped() throws IOException {
    assertThat(read("data: whole\n\ndata: cut")).containsExactly("null|message|whole");
  }

  @Test
  void aByteOrderMarkAtTheStartIsSkipped() throws IOException {
    assertThat(read("\uFEFFid: 3\ndata: x\n\n")).containsExactly("3|message|x");
  }

  @Test
  void theListenerStopsTheReading() throws IOException {
    assertThat(read("data: 1\n\ndata: 2\n\n", 1)).containsExactly("null|message|1");
  }

  @Test
  void dataUpToTheLimitIsRead() throws IOException {
    // 10 bytes of data over two lines of 10 and 9 bytes (5 + LF + 4), "é" counting 2 bytes.
    assertThat(read("data:abcé\ndata:defg\n\n", Integer.MAX_VALUE, 10))
        .containsExactly("null|message|abcé\ndefg");
  }

  @Test
  void eventDataBeyondTheLimitStopsTheReadingNamingTheLimit() {
    assertThatThrownBy(() -> read("data:abcde\ndata:fghij\n\n", Integer.MAX_VALUE, 10))
        .isInstanceOf(ResponseTooLargeException.class)
        .hasMessage("an event of the event stream exceeds the limit of 10 bytes");
  }

  @Test
  void aLineBeyondTheLimitStopsTheReadingBeforeItsEnd() {
    // A comment line never ends: without a limit the reader would buffer it for ever.
    String endless = ":" + "x".repeat(100_000);
    assertThatThrownBy(() -> read(endless, Integer.MAX_VALUE, 1024))
        .isInstanceOf(ResponseTooLargeException.class)
        .hasMessage("a line of the event stream exceeds the limit of 1 KiB");
  }

  @Test
  void jsonBodyBeyondTheLimitFailsAndOneAtTheLimitIsRead() throws IOException {
    byte[] body = "{\"a\":\"bcdefgh\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(StreamableHttpClientTransport.readText(new ByteArrayInputStream(body), body.length))
        .isEqualTo("{\"a\":\"bcdefgh\"}");
    assertThatThrownBy(
            () ->
                StreamableHttpClientTransport.readText(
                    new ByteArrayInputStream(body), body.length - 1))
        .isInstanceOf(ResponseTooLargeException.class)
        .hasMessage("JSON body exceeds the limit of 14 bytes");
  }

  @Test
  void theDefaultLimitIs16MiB() {
    assertThat(StreamableHttpClientTransport.MAX_MESSAGE_BYTES).isEqualTo(16 * 1024 * 1024);
    assertThat(ResponseTooLargeException.describe(StreamableHttpClientTransport.MAX_MESSAGE_BYTES))
        .isEqualTo("16 MiB");
  }

  @Test
  void crLfSplitAcrossReadsEndsOneLine() throws IOException {
    // The CR ends the 8192-byte buffer, its LF starts the next read.
    String first = "data: " + "y".repeat(8192 - 6 - 1) + "\r";
    assertThat(read(first + "\n\r\n")).containsExactly("null|message|" + "y".repeat(8185));
  }
}
