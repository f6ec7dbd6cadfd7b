package io.harmonix.fleet.internal;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The parts of a pom.xml that inference needs: its coordinates, its modules and the coordinates it depends on.
 * The repositories are not ours: the parser refuses DOCTYPE declarations outright, so no external entity, entity
 * expansion or external DTD is ever read (OWASP's XXE prevention for DocumentBuilderFactory).
 */
final class Poms {
    /** groupId:artifactId of a pom, and what it refers to. */
    record Pom(String coordinates, List<String> modules, List<String> dependsOn) {
    }

    private Poms() {
    }

    /** @return the pom, empty when the text is not a pom (not XML, a DOCTYPE, no artifactId) */
    static Optional<Pom> parse(String text) {
        Element project;
        try {
            project = builder().parse(new InputSource(new StringReader(text))).getDocumentElement();
        } catch (SAXException | IOException | ParserConfigurationException e) {
            return Optional.empty();
        }
        Element parent = child(project, "parent");
        String groupId = text(project, "groupId");
        if (groupId == null && parent != null) {
            groupId = text(parent, "groupId");
        }
        String artifactId = text(project, "artifactId");
        if (groupId == null || artifactId == null) {
            return Optional.empty();
        }
        List<String> modules = new ArrayList<>();
        Element mods = child(project, "modules");
        for (Element m : children(mods, "module")) {
            modules.add(m.getTextContent().trim());
        }
        List<String> deps = new ArrayList<>();
        if (parent != null) {
            add(deps, parent, groupId);
        }
        for (Element d : children(child(project, "dependencies"), "dependency")) {
            add(deps, d, groupId);
        }
        for (Element d : children(child(child(project, "dependencyManagement"), "dependencies"), "dependency")) {
            add(deps, d, groupId);
        }
        return Optional.of(new Pom(groupId + ":" + artifactId, modules, deps));
    }

    private static void add(List<String> deps, Element d, String ownGroup) {
        String g = text(d, "groupId");
        String a = text(d, "artifactId");
        if (g != null && (g.equals("${project.groupId}") || g.equals("${pom.groupId}"))) {
            g = ownGroup;
        }
        if (g != null && a != null && !g.contains("${") && !a.contains("${")) {
            deps.add(g + ":" + a);
        }
    }

    private static DocumentBuilder builder() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        return b;
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> list = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && name.equals(e.getTagName())) {
                    list.add(e);
                }
            }
        }
        return list;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) {
            return null;
        }
        String t = e.getTextContent().trim();
        return t.isEmpty() ? null : t;
    }
}
