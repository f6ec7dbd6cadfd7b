package io.harmonix.agent.security.internal.deps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The dependencies of Maven poms with the versions Maven would use, as far as the target holds what decides them:
 * {@code ${properties}} of the pom and of its parents, {@code dependencyManagement} of the pom and its parents, the
 * parent found by {@code relativePath} (default {@code ../pom.xml}) when it is inside the target and is the parent
 * named. What cannot be resolved (a property or a managed version from outside the target, a version range) is
 * returned unresolved with the reason, never dropped. One instance per scan: it keeps the poms it read.
 */
public final class MavenPoms {
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    /** A parsed pom: coordinates, parent, properties, managed versions and dependencies. */
    private record Pom(Path file, String groupId, String artifactId, String version, Element parent,
            Map<String, String> properties, Map<String, Element> managed, List<Element> dependencies) {
    }

    private final Path root;
    private final Map<Path, Pom> poms = new HashMap<>();

    /** @param root the target's root: parents are looked for inside it only */
    public MavenPoms(Path root) {
        this.root = root;
    }

    /**
     * @param file the pom, relative to the root
     * @throws IOException when it cannot be read or is not well-formed XML (the message names the file and line)
     */
    public List<Dependency> dependencies(String file) throws IOException {
        Pom pom = read(root.resolve(file));
        List<Pom> chain = chain(pom);
        Map<String, String> props = properties(chain);
        List<Dependency> out = new ArrayList<>();
        for (Element d : pom.dependencies()) {
            String group = interpolate(child(d, "groupId"), props);
            String artifact = interpolate(child(d, "artifactId"), props);
            String name = group + ":" + artifact;
            int line = LineDom.line(d);
            String raw = child(d, "version");
            String origin = "declared";
            if (raw == null) {
                Element managed = managed(chain, props, name);
                if (managed == null) {
                    List<String> boms = boms(chain, props);
                    out.add(new Dependency("Maven", name, null, "no version, and no dependencyManagement in this "
                            + "pom or its parents inside the target manages it" + (boms.isEmpty()
                            ? " (a parent outside the target may)" : "; the imported BOM " + String.join(", ", boms)
                            + " may (its versions are not read)"), file, line));
                    continue;
                }
                raw = child(managed, "version");
                origin = "dependencyManagement of " + root.relativize(((Path) managed.getUserData("pom")))
                        .toString().replace('\\', '/');
            }
            if (raw == null) {
                out.add(new Dependency("Maven", name, null, "managed without a version", file, line));
                continue;
            }
            Matcher m = PROPERTY.matcher(raw.strip());
            String version = interpolate(raw, props);
            if (version.contains("${")) {
                out.add(new Dependency("Maven", name, null, "version " + raw.strip() + " uses a property not "
                        + "defined in this pom or its parents inside the target", file, line));
            } else if (version.startsWith("[") || version.startsWith("(")) {
                out.add(new Dependency("Maven", name, null, "version range " + version + " (the version chosen "
                        + "depends on the repository)", file, line));
            } else {
                out.add(new Dependency("Maven", name, version, m.find() ? origin + ", property " + m.group(1)
                        : origin, file, line));
            }
        }
        return out;
    }

    private Pom read(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        Pom cached = poms.get(key);
        if (cached != null) {
            return cached;
        }
        Element project;
        try (InputStream in = Files.newInputStream(key)) {
            project = LineDom.parse(in).getDocumentElement();
        } catch (SAXException e) {
            throw new IOException(root.relativize(key).toString().replace('\\', '/') + ": not a well-formed pom: "
                    + Quotes.without(e.getMessage()));
        }
        Element parent = element(project, "parent");
        Map<String, String> properties = new LinkedHashMap<>();
        Element props = element(project, "properties");
        if (props != null) {
            for (Element p : children(props)) {
                properties.put(p.getTagName(), p.getTextContent().strip());
            }
        }
        Map<String, Element> managed = new LinkedHashMap<>();
        Element dm = element(element(project, "dependencyManagement"), "dependencies");
        for (Element d : children(dm)) {
            d.setUserData("pom", key, null);
            managed.put(child(d, "groupId") + ":" + child(d, "artifactId"), d);
        }
        List<Element> deps = new ArrayList<>();
        for (Element d : children(element(project, "dependencies"))) {
            if ("dependency".equals(d.getTagName())) {
                deps.add(d);
            }
        }
        String group = child(project, "groupId");
        String version = child(project, "version");
        Pom pom = new Pom(key, group != null ? group : child(parent, "groupId"), child(project, "artifactId"),
                version != null ? version : child(parent, "version"), parent, properties, managed, deps);
        poms.put(key, pom);
        return pom;
    }

    /** @return the pom and its parents found inside the target, the pom first */
    private List<Pom> chain(Pom pom) throws IOException {
        List<Pom> chain = new ArrayList<>(List.of(pom));
        Pom at = pom;
        while (at.parent() != null && chain.size() < 20) {
            String relative = child(at.parent(), "relativePath");
            Path candidate = at.file().getParent().resolve(relative == null ? "../pom.xml" : relative).normalize();
            if (Files.isDirectory(candidate)) {
                candidate = candidate.resolve("pom.xml");
            }
            if (!candidate.startsWith(root.toAbsolutePath().normalize()) || !Files.isRegularFile(candidate)) {
                break;
            }
            Pom parent = read(candidate);
            if (!(parent.artifactId() + "").equals(child(at.parent(), "artifactId"))) {
                break; // relativePath points at another project: Maven would take the parent from a repository
            }
            chain.add(parent);
            at = parent;
        }
        return chain;
    }

    /** Properties as Maven sees them from the pom: its own over its parents', and the project's coordinates. */
    private static Map<String, String> properties(List<Pom> chain) {
        Map<String, String> props = new HashMap<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            props.putAll(chain.get(i).properties());
        }
        Pom pom = chain.get(0);
        putIfKnown(props, "project.groupId", pom.groupId());
        putIfKnown(props, "project.artifactId", pom.artifactId());
        putIfKnown(props, "project.version", pom.version());
        putIfKnown(props, "pom.version", pom.version());
        putIfKnown(props, "project.parent.version", child(pom.parent(), "version"));
        putIfKnown(props, "project.parent.groupId", child(pom.parent(), "groupId"));
        return props;
    }

    private static void putIfKnown(Map<String, String> props, String key, String value) {
        if (value != null) {
            props.put(key, value);
        }
    }

    private static Element managed(List<Pom> chain, Map<String, String> props, String name) {
        for (Pom p : chain) {
            for (Map.Entry<String, Element> e : p.managed().entrySet()) {
                if (interpolate(e.getKey(), props).equals(name)) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    /** @return the BOMs ({@code <scope>import</scope>}) the poms' dependencyManagement imports, as g:a:v */
    private static List<String> boms(List<Pom> chain, Map<String, String> props) {
        List<String> out = new ArrayList<>();
        for (Pom p : chain) {
            for (Element d : p.managed().values()) {
                if ("import".equals(child(d, "scope"))) {
                    out.add(interpolate(child(d, "groupId") + ":" + child(d, "artifactId") + ":"
                            + child(d, "version"), props));
                }
            }
        }
        return out;
    }

    /** @return {@code text} with its known properties replaced (nested ones too); unknown ones left as they are */
    static String interpolate(String text, Map<String, String> props) {
        if (text == null) {
            return null;
        }
        String out = text.strip();
        for (int depth = 0; depth < 10 && out.contains("${"); depth++) {
            Matcher m = PROPERTY.matcher(out);
            StringBuilder sb = new StringBuilder();
            boolean changed = false;
            while (m.find()) {
                String v = props.get(m.group(1));
                changed |= v != null;
                m.appendReplacement(sb, Matcher.quoteReplacement(v != null ? v : m.group()));
            }
            m.appendTail(sb);
            out = sb.toString();
            if (!changed) {
                break;
            }
        }
        return out;
    }

    private static Element element(Element parent, String name) {
        for (Element e : children(parent)) {
            if (e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String child(Element parent, String name) {
        Element e = element(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    out.add(e);
                }
            }
        }
        return out;
    }
}
