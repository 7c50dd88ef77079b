package org.vireo.shell;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandSessionImpl;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A real Gogo command processor (no OSGi framework) with command objects registered exactly as
 * their component descriptors declare them: the {@code osgi.command.scope} and
 * {@code osgi.command.function} properties that bnd wrote to {@code OSGI-INF}.
 */
final class Gogo implements AutoCloseable {
    /** The scope and functions a component descriptor declares. */
    record Declared(String scope, List<String> functions) {
    }

    private final CommandProcessorImpl processor = new CommandProcessorImpl();
    private final CommandSessionImpl session;

    Gogo(Object... commands) throws Exception {
        for (Object target : commands) {
            Declared d = declared(target.getClass());
            d.functions().forEach(f -> processor.addCommand(d.scope(), target, f));
        }
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
    }

    Object execute(String line) throws Exception {
        return session.execute(line);
    }

    static Declared declared(Class<?> component) throws Exception {
        String resource = "/OSGI-INF/" + component.getName() + ".xml";
        try (InputStream in = component.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no component descriptor " + resource + " (bnd-process runs before the tests)");
            }
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            NodeList props = doc.getElementsByTagName("property");
            String scope = null;
            List<String> functions = new ArrayList<>();
            for (int i = 0; i < props.getLength(); i++) {
                Element p = (Element) props.item(i);
                List<String> values = new ArrayList<>();
                if (p.hasAttribute("value")) {
                    values.add(p.getAttribute("value"));
                } else {
                    for (String v : p.getTextContent().split("\n")) {
                        if (!v.isBlank()) {
                            values.add(v.trim());
                        }
                    }
                }
                switch (p.getAttribute("name")) {
                    case "osgi.command.scope" -> scope = values.get(0);
                    case "osgi.command.function" -> functions.addAll(values);
                    default -> {
                    }
                }
            }
            return new Declared(scope, functions);
        }
    }

    @Override
    public void close() {
        session.close();
        processor.stop();
    }
}
