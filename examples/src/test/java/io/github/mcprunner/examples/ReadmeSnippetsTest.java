package io.github.mcprunner.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of every {@code README.md} in the repository is an excerpt of a
 * source file the build compiles: the line before the fence is {@code <!-- snippet: PATH#NAME -->},
 * and the block equals the lines between {@code // snippet:NAME} and {@code // end-snippet} in PATH
 * (relative to the repository root), their common indentation removed. So a README cannot show code
 * that does not compile, and the two cannot drift apart.
 */
class ReadmeSnippetsTest {

  private static final Pattern MARKER =
      Pattern.compile("^<!-- snippet: ([^#\\s]+)#([a-z0-9-]+) -->$");
  private static final Set<String> SKIPPED_DIRECTORIES =
      Set.of("target", "node_modules", ".build", ".git", ".mvn", ".idea");

  @Test
  void everyJavaBlockOfEveryReadmeIsASnippetOfACompiledSource() {
    Path root = repositoryRoot();
    List<Path> readmes = readmes(root);
    assertThat(readmes)
        .as("READMEs found under " + root)
        .contains(
            root.resolve("README.md"),
            root.resolve("examples/README.md"),
            root.resolve("examples/custom-sso-provider/README.md"));

    List<String> problems = new ArrayList<>();
    int blocks = 0;
    for (Path readme : readmes) {
      blocks += check(root, readme, problems);
    }
    assertThat(problems).as("README Java blocks checked: %d", blocks).isEmpty();
    assertThat(blocks).as("Java blocks found").isPositive();
  }

  @Test
  void aBlockWithoutMarkerOrOutOfDateIsReportedWithItsReadmeAndLine(
      @org.junit.jupiter.api.io.TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("src"));
    Files.writeString(
        root.resolve("src/Example.java"),
        String.join(
            "\n",
            "class Example {",
            "  void run() {",
            "    // snippet:hello",
            "    System.out.println(\"hello\");",
            "    // end-snippet",
            "  }",
            "}",
            ""));
    Files.writeString(
        root.resolve("README.md"),
        String.join(
            "\n",
            "# Title",
            "<!-- snippet: src/Example.java#hello -->",
            "```java",
            "System.out.println(\"hello\");",
            "```",
            "",
            "```java",
            "unmarked();",
            "```",
            "<!-- snippet: src/Example.java#hello -->",
            "```java",
            "System.out.println(\"bye\");",
            "```",
            "<!-- snippet: src/Missing.java#hello -->",
            "```java",
            "x();",
            "```",
            "<!-- snippet: src/Example.java#nope -->",
            "```java",
            "x();",
            "```",
            ""));

    List<String> problems = new ArrayList<>();
    int blocks = check(root, root.resolve("README.md"), problems);

    assertThat(blocks).isEqualTo(5);
    assertThat(problems)
        .containsExactly(
            "README.md:7: a ```java block needs <!-- snippet: PATH#NAME --> on the line before"
                + " it, naming the compiled source it is an excerpt of",
            "README.md:11: differs from src/Example.java#hello at block line 1: README has"
                + " 'System.out.println(\"bye\");', the source has"
                + " 'System.out.println(\"hello\");'",
            "README.md:15: src/Missing.java does not exist",
            "README.md:19: src/Example.java has no '// snippet:nope' ... '// end-snippet' region");
  }

  /** Checks the Java blocks of one README; returns how many there are. */
  private static int check(Path root, Path readme, List<String> problems) {
    List<String> lines = read(readme);
    String name = root.relativize(readme).toString().replace('\\', '/');
    int blocks = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("```java")) {
        continue;
      }
      blocks++;
      String where = name + ":" + (i + 1) + ": ";
      List<String> block = new ArrayList<>();
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).strip().equals("```")) {
        block.add(lines.get(end));
        end++;
      }
      Matcher marker = MARKER.matcher(i > 0 ? lines.get(i - 1).strip() : "");
      if (!marker.matches()) {
        problems.add(
            where
                + "a ```java block needs <!-- snippet: PATH#NAME --> on the line before it, naming"
                + " the compiled source it is an excerpt of");
      } else {
        String path = marker.group(1);
        String snippet = marker.group(2);
        Path source = root.resolve(path).normalize();
        if (!source.startsWith(root) || !Files.isRegularFile(source)) {
          problems.add(where + path + " does not exist");
        } else {
          Optional<List<String>> region = region(read(source), snippet);
          if (region.isEmpty()) {
            problems.add(
                where + path + " has no '// snippet:" + snippet + "' ... '// end-snippet' region");
          } else {
            compare(where, path + "#" + snippet, dedent(block), region.get(), problems);
          }
        }
      }
      i = end;
    }
    return blocks;
  }

  private static void compare(
      String where,
      String snippet,
      List<String> block,
      List<String> source,
      List<String> problems) {
    for (int n = 0; n < Math.max(block.size(), source.size()); n++) {
      String shown = n < block.size() ? block.get(n) : null;
      String compiled = n < source.size() ? source.get(n) : null;
      if (shown == null || compiled == null || !shown.equals(compiled)) {
        problems.add(
            where
                + "differs from "
                + snippet
                + " at block line "
                + (n + 1)
                + ": README has "
                + (shown == null ? "no more lines" : "'" + shown + "'")
                + ", the source has "
                + (compiled == null ? "no more lines" : "'" + compiled + "'"));
        return;
      }
    }
  }

  /** Returns the lines between {@code // snippet:NAME} and {@code // end-snippet}, dedented. */
  private static Optional<List<String>> region(List<String> source, String name) {
    for (int i = 0; i < source.size(); i++) {
      if (source.get(i).strip().equals("// snippet:" + name)) {
        List<String> region = new ArrayList<>();
        for (int j = i + 1; j < source.size(); j++) {
          if (source.get(j).strip().equals("// end-snippet")) {
            return Optional.of(dedent(region));
          }
          region.add(source.get(j));
        }
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Removes trailing blanks and the indentation common to every non-blank line. */
  static List<String> dedent(List<String> lines) {
    int common = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        common = Math.min(common, line.length() - line.stripLeading().length());
      }
    }
    List<String> result = new ArrayList<>();
    for (String line : lines) {
      result.add(line.isBlank() ? "" : line.substring(common).stripTrailing());
    }
    return result;
  }

  private static List<Path> readmes(Path root) {
    List<Path> found = new ArrayList<>();
    walk(root, found);
    return found;
  }

  private static void walk(Path directory, List<Path> found) {
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path entry : entries.sorted().toList()) {
        String name = entry.getFileName().toString();
        if (Files.isDirectory(entry)) {
          if (!SKIPPED_DIRECTORIES.contains(name)) {
            walk(entry, found);
          }
        } else if (name.equals("README.md")) {
          found.add(entry);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository root: the nearest directory above the working directory holding mvnw. */
  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a directory holding mvnw above the working directory").isNotNull();
    return dir;
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
