package io.sagastream.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The runnable jar a module's build makes, read from its pom. */
final class MavenJars {

  private MavenJars() {}

  /**
   * {@code <module>/target/<name>.jar}, where the name is the shade plugin's {@code finalName},
   * else the build's, else artifactId-version; empty when there is no such module.
   */
  static Optional<String> jarOf(String module) {
    Path pom = RepositoryFiles.path(module, "pom.xml");
    if (!Files.exists(pom)) {
      return Optional.empty();
    }
    Document document = parse(pom);
    Element project = document.getDocumentElement();
    String name =
        shadeFinalName(project)
            .or(() -> child(child(project, "build"), "finalName").map(Node::getTextContent))
            .orElseGet(
                () ->
                    text(project, "artifactId")
                        + "-"
                        + child(project, "version")
                            .or(() -> child(child(project, "parent"), "version"))
                            .map(Node::getTextContent)
                            .orElseThrow());
    return Optional.of(module + "/target/" + name.strip() + ".jar");
  }

  private static Optional<String> shadeFinalName(Element project) {
    NodeList plugins = project.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if ("maven-shade-plugin".equals(text(plugin, "artifactId"))) {
        NodeList names = plugin.getElementsByTagName("finalName");
        if (names.getLength() > 0) {
          return Optional.of(names.item(0).getTextContent());
        }
      }
    }
    return Optional.empty();
  }

  private static Document parse(Path pom) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(pom.toFile());
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read " + pom, e);
    }
  }

  private static String text(Element parent, String name) {
    return child(parent, name).map(Node::getTextContent).orElse(null);
  }

  private static Optional<Element> child(Optional<Element> parent, String name) {
    return parent.flatMap(p -> child(p, name));
  }

  private static Optional<Element> child(Element parent, String name) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        return Optional.of(element);
      }
    }
    return Optional.empty();
  }
}
