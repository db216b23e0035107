package io.github.mcprunner.bom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Fails the build when a published module of the reactor is missing from the BOM. */
class BomCompletenessTest {

  private static final String AUTO_SERVICE = "com.google.auto.service";
  private static final Path BOM_DIR = Path.of("").toAbsolutePath();
  private static final Path ROOT = BOM_DIR.getParent();

  @Test
  void everyPublishedModuleIsInTheBom() throws Exception {
    Set<String> published = new TreeSet<>();
    for (String module : modules(ROOT.resolve("pom.xml"))) {
      if (module.equals("bom")) {
        continue;
      }
      Document pom = parse(ROOT.resolve(module).resolve("pom.xml"));
      if (!"true".equals(property(pom, "maven.deploy.skip"))) {
        published.add(childText(pom.getDocumentElement(), "artifactId"));
      }
    }
    assertFalse(published.isEmpty(), "no published module found under " + ROOT.getFileName());

    Set<String> inBom = new TreeSet<>();
    Document bom = parse(BOM_DIR.resolve("pom.xml"));
    Element management = child(bom.getDocumentElement(), "dependencyManagement");
    for (Element dependency : children(child(management, "dependencies"), "dependency")) {
      if (childText(dependency, "groupId").equals(AUTO_SERVICE)) {
        // Not a module: what a header provider registers itself with (see the README).
        assertEquals("${auto-service.version}", childText(dependency, "version"));
        continue;
      }
      assertEquals("io.github.mcprunner", childText(dependency, "groupId"));
      assertEquals("${project.version}", childText(dependency, "version"));
      inBom.add(childText(dependency, "artifactId"));
    }

    Set<String> missing = new TreeSet<>(published);
    missing.removeAll(inBom);
    assertTrue(missing.isEmpty(), "published modules missing from bom/pom.xml: " + missing);
    Set<String> unknown = new TreeSet<>(inBom);
    unknown.removeAll(published);
    assertTrue(unknown.isEmpty(), "bom/pom.xml lists modules that are not published: " + unknown);
  }

  private static List<String> modules(Path pom) throws Exception {
    List<String> modules = new ArrayList<>();
    for (Element module : children(child(parse(pom).getDocumentElement(), "modules"), "module")) {
      modules.add(module.getTextContent().trim());
    }
    return modules;
  }

  private static String property(Document pom, String name) {
    Element properties = child(pom.getDocumentElement(), "properties");
    if (properties == null) {
      return null;
    }
    Element property = child(properties, name);
    return property == null ? null : property.getTextContent().trim();
  }

  private static Document parse(Path file) throws Exception {
    assertTrue(Files.isRegularFile(file), "missing " + file.getFileName());
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(file.toFile());
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static String childText(Element parent, String name) {
    Element child = child(parent, name);
    return child == null ? null : child.getTextContent().trim();
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> result = new ArrayList<>();
    if (parent == null) {
      return result;
    }
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element && ((Element) node).getTagName().equals(name)) {
        result.add((Element) node);
      }
    }
    return result;
  }
}
