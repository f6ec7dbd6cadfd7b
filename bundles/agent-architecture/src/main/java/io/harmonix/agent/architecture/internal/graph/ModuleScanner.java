package io.harmonix.agent.architecture.internal.graph;

import io.harmonix.agent.architecture.internal.graph.Module.HeaderClause;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Finds the modules of a target: every folder with a pom.xml is a Maven module, named by its artifactId; it is an
 * OSGi bundle when its built manifest (target/classes/META-INF/MANIFEST.MF) has a Bundle-SymbolicName, when it has
 * a bnd.bnd, or when its pom uses the bnd or Felix bundle plugin. Its exports come from package-info.java files with
 * {@code @Export}, its manifest and its bnd.bnd.
 */
public final class ModuleScanner {
    static final String MANIFEST = "target/classes/META-INF/MANIFEST.MF";
    private static final Pattern EXPORT = Pattern.compile("@(?:org\\.osgi\\.annotation\\.bundle\\.)?Export\\b");
    private static final Pattern VERSION = Pattern.compile("@(?:org\\.osgi\\.annotation\\.versioning\\.)?Version"
            + "\\s*\\(\\s*\"([^\"]*)\"");
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;");

    private ModuleScanner() {
    }

    /**
     * @param notAnalysed where a pom.xml that cannot be read is counted ("pom.xml (unreadable)"): its folder is
     *        still a module, named by the folder, but nothing of the pom is used
     * @return the modules among {@code files} (relative to {@code root}), by folder
     */
    public static Map<String, Module> scan(Path root, List<String> files, Map<String, Integer> notAnalysed)
            throws IOException {
        Map<String, Module> modules = new TreeMap<>();
        for (String f : files) {
            if (isModulePom(f)) {
                String dir = f.equals("pom.xml") ? "" : f.substring(0, f.length() - "/pom.xml".length());
                modules.put(dir, null);
            }
        }
        Map<String, List<HeaderClause>> clauses = new TreeMap<>();
        for (String f : files) {
            if (f.endsWith("/package-info.java") || f.equals("package-info.java")) {
                clauses.computeIfAbsent(moduleOf(f, modules.keySet()), k -> new ArrayList<>())
                        .addAll(packageInfo(root, f));
            } else if (f.endsWith("bnd.bnd")) {
                clauses.computeIfAbsent(moduleOf(f, modules.keySet()), k -> new ArrayList<>())
                        .addAll(OsgiHeaders.read(lines(root.resolve(f)), f, true));
            }
        }
        for (String dir : List.copyOf(modules.keySet())) {
            modules.put(dir, module(root, dir, files, clauses.getOrDefault(dir, List.of()), notAnalysed));
        }
        return modules;
    }

    /**
     * A pom.xml that makes its folder a module: not one under a src folder (test resources and fixtures of a
     * module, such as src/test/resources/it/pom.xml, are not modules of the target).
     */
    public static boolean isModulePom(String file) {
        return (file.equals("pom.xml") || file.endsWith("/pom.xml")) && !file.startsWith("src/")
                && !file.contains("/src/");
    }

    /** @return the deepest module folder holding {@code file}, "" when only the root (or none) does */
    public static String moduleOf(String file, Collection<String> modulePaths) {
        String best = "";
        for (String m : modulePaths) {
            if (!m.isEmpty() && file.startsWith(m + "/") && m.length() > best.length()) {
                best = m;
            }
        }
        return best;
    }

    private static Module module(Path root, String dir, List<String> files, List<HeaderClause> declared,
            Map<String, Integer> notAnalysed) throws IOException {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        Path pom = root.resolve(prefix + "pom.xml");
        String name = artifactId(pom);
        String pomText = "";
        if (name == null) {
            notAnalysed.merge("pom.xml (unreadable)", 1, Integer::sum);
            name = "";
        } else {
            pomText = new String(Files.readAllBytes(pom), StandardCharsets.UTF_8);
        }
        if (name.isEmpty()) {
            name = dir.isEmpty() ? root.getFileName().toString() : dir.substring(dir.lastIndexOf('/') + 1);
        }
        List<HeaderClause> headers = new ArrayList<>(declared);
        String manifest = null;
        boolean bundle = files.contains(prefix + "bnd.bnd") || pomText.contains("bnd-maven-plugin")
                || pomText.contains("maven-bundle-plugin");
        Path mf = root.resolve(prefix + MANIFEST);
        if (Files.isRegularFile(mf)) {
            List<String> mfLines = lines(mf);
            if (mfLines.stream().anyMatch(l -> l.startsWith("Bundle-SymbolicName:"))) {
                bundle = true;
                manifest = prefix + MANIFEST;
                headers.addAll(OsgiHeaders.read(mfLines, manifest, false));
            }
        }
        Set<String> exports = new LinkedHashSet<>();
        headers.stream().filter(h -> h.header().equals("Export-Package")).map(HeaderClause::packageName)
                .filter(p -> !p.startsWith("!") && !p.contains("${")).forEach(exports::add);
        return new Module(dir, name, bundle, exports, manifest, headers);
    }

    /**
     * The artifactId that is the project's own (a child of project), not its parent's or a dependency's: "" when it
     * has none, null when the pom is not a readable XML document (malformed, with a DOCTYPE, not in its encoding).
     */
    private static String artifactId(Path pom) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            javax.xml.parsers.DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // throws on fatal errors, prints none
            Element project = builder.parse(pom.toFile()).getDocumentElement();
            for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals("artifactId")) {
                    return e.getTextContent().trim();
                }
            }
            return "";
        } catch (org.xml.sax.SAXException | java.io.CharConversionException e) {
            return null;
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IOException("no XML parser for " + pom + ": " + e.getMessage(), e);
        }
    }

    /** A package-info.java with {@code @Export}: an Export-Package clause, versioned by its {@code @Version}. */
    private static List<HeaderClause> packageInfo(Path root, String file) throws IOException {
        List<String> lines = lines(root.resolve(file));
        String pkg = null;
        int exportLine = 0;
        String version = "";
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            Matcher p = PACKAGE.matcher(l);
            if (p.find()) {
                pkg = p.group(1);
            }
            if (exportLine == 0 && EXPORT.matcher(l).find() && !l.strip().startsWith("*")
                    && !l.strip().startsWith("//")) {
                exportLine = i + 1;
            }
            Matcher v = VERSION.matcher(l);
            if (v.find() && !l.strip().startsWith("*")) {
                version = v.group(1);
            }
        }
        if (pkg == null || exportLine == 0) {
            return List.of();
        }
        return List.of(new HeaderClause("Export-Package", pkg, version, file, exportLine));
    }

    static List<String> lines(Path file) throws IOException {
        return List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\r?\n", -1));
    }
}
