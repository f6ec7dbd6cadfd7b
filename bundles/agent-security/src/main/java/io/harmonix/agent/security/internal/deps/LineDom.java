package io.harmonix.agent.security.internal.deps;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * A DOM of an XML file whose elements know their line ({@link #line}): a plain DOM parser forgets where things
 * were, and a finding needs it. Built by a SAX parser hardened against XXE: a document with a DOCTYPE is refused
 * outright (a pom.xml has none), and external entities and schemas are off.
 */
final class LineDom {
    private static final String LINE = "line";

    private LineDom() {
    }

    static Document parse(InputStream in) throws IOException, SAXException {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(false);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilderFactory dom = DocumentBuilderFactory.newInstance();
            dom.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = dom.newDocumentBuilder().newDocument();
            factory.newSAXParser().parse(in, new Builder(doc));
            return doc;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parsers support the hardening features", e);
        }
    }

    /** @return the line {@code e} starts on, 1-based */
    static int line(Element e) {
        Object line = e.getUserData(LINE);
        return line instanceof Integer i ? i : 1;
    }

    private static final class Builder extends DefaultHandler {
        private final Document doc;
        private final Deque<Element> open = new ArrayDeque<>();
        private Locator locator;

        Builder(Document doc) {
            this.doc = doc;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            Element e = doc.createElement(qName);
            e.setUserData(LINE, locator == null ? 1 : locator.getLineNumber(), null);
            for (int i = 0; i < attributes.getLength(); i++) {
                e.setAttribute(attributes.getQName(i), attributes.getValue(i));
            }
            if (open.isEmpty()) {
                doc.appendChild(e);
            } else {
                open.peek().appendChild(e);
            }
            open.push(e);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            open.pop();
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (!open.isEmpty()) {
                open.peek().appendChild(doc.createTextNode(new String(ch, start, length)));
            }
        }
    }
}
