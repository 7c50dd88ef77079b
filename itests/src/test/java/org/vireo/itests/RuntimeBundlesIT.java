package org.vireo.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/** The runtime's bundle set, as the features resolved it, starts in a plain Felix. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeBundlesIT extends VireoTestSupport {
    @Test
    public void everyBundleOfTheRuntimeSetIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && bundle.getState() != Bundle.ACTIVE) {
                notActive.add(bundle.getSymbolicName());
            }
        }
        assertEquals("bundles not active: " + notActive, List.of(), notActive);
    }

    @Test
    public void everyVireoBundleOfTheSetIsInstalled() {
        List<String> expected = new ArrayList<>();
        for (File jar : new File(System.getProperty("vireo.itest.bundles", "")).listFiles()) {
            if (jar.getName().startsWith("org.vireo.")) {
                expected.add(jar.getName().replaceFirst("-\\d.*\\.jar$", ""));
            }
        }
        assertTrue("the runtime set has Vireo bundles", !expected.isEmpty());
        for (String symbolicName : expected) {
            Bundle found = null;
            for (Bundle bundle : context.getBundles()) {
                if (symbolicName.equals(bundle.getSymbolicName())) {
                    found = bundle;
                }
            }
            assertNotNull(symbolicName + " installed; bundles: " + bundleStates(), found);
        }
    }

    @Test
    public void dataFolderIsFreshAndPrivateToTheTestClass() {
        String data = context.getProperty("vireo.data");
        assertNotNull("vireo.data is set", data);
        assertTrue(data + " exists", new File(data).isDirectory());
        assertTrue(data + " is a temporary folder", data.startsWith(System.getProperty("java.io.tmpdir")));
    }
}
