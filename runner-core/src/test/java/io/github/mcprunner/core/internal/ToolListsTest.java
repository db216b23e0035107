package io.github.mcprunner.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ToolListsTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ToolLists<String> lists = new ToolLists<>(3, Duration.ofMinutes(5), now::get);

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }

  @Test
  void aPrivateListServesOnlyItsOwnIdentity() {
    lists.put("u1", "list of u1", false, 60_000);

    assertThat(lists.get("u1", true)).isEqualTo("list of u1");
    assertThat(lists.get("u2", true)).isNull();
    assertThat(lists.get("u2", false)).isNull();
  }

  @Test
  void aPublicListServesEveryIdentityAndDropsThePrivateOnes() {
    lists.put("u1", "list of u1", false, 60_000);
    lists.put("u2", "public list", true, 60_000);

    assertThat(lists.get("u1", true)).isEqualTo("public list");
    assertThat(lists.get("u9", true)).isEqualTo("public list");
    assertThat(lists.size()).isEqualTo(1);
  }

  @Test
  void aPrivateListDropsThePublicOne() {
    lists.put("u1", "public list", true, 60_000);
    lists.put("u2", "list of u2", false, 60_000);

    assertThat(lists.get("u1", false)).as("the public list is gone").isNull();
    assertThat(lists.get("u2", true)).isEqualTo("list of u2");
  }

  @Test
  void aListPastItsTimeToLiveIsStaleButStillKept() {
    lists.put("u1", "list of u1", false, 60_000);
    advance(Duration.ofSeconds(61));

    assertThat(lists.get("u1", true)).as("not fresh").isNull();
    assertThat(lists.get("u1", false)).as("kept for tools/call").isEqualTo("list of u1");
  }

  @Test
  void aListWithoutTimeToLiveIsNeverFresh() {
    lists.put("u1", "list of u1", false, 0);

    assertThat(lists.get("u1", true)).isNull();
    assertThat(lists.get("u1", false)).isEqualTo("list of u1");
  }

  @Test
  void manyIdentitiesKeepNoMoreListsThanTheBound() {
    for (int user = 0; user < 1_000; user++) {
      lists.put("u" + user, "list of u" + user, false, 60_000);
    }

    assertThat(lists.size()).isLessThanOrEqualTo(3);
  }

  @Test
  void aListNotAskedForWithinTheIdleTimeoutIsDropped() {
    lists.put("u1", "list of u1", false, 3_600_000);
    lists.put("u2", "list of u2", false, 3_600_000);
    advance(Duration.ofMinutes(4));
    assertThat(lists.get("u2", true)).isEqualTo("list of u2");
    advance(Duration.ofMinutes(2));

    assertThat(lists.get("u1", false)).as("idle for 6 minutes").isNull();
    assertThat(lists.get("u2", true)).as("asked for 2 minutes ago").isEqualTo("list of u2");
    assertThat(lists.size()).isEqualTo(1);
  }

  @Test
  void clearDropsEveryList() {
    lists.put("u1", "list of u1", false, 60_000);
    lists.put("u2", "list of u2", false, 60_000);

    lists.clear();

    assertThat(lists.get("u1", false)).isNull();
    assertThat(lists.size()).isZero();
  }
}
