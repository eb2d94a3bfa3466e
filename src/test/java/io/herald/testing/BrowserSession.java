package io.herald.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * One Chromium per test class, handed to test methods as a {@link Browser} parameter. When a test fails, the page
 * as it was is saved as {@code target/screenshots/<class>.<method>-FAILED.png} before anything is torn down.
 */
public class BrowserSession implements ParameterResolver, TestExecutionExceptionHandler, AfterAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BrowserSession.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Browser.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return browser(e);
    }

    private static Browser browser(ExtensionContext e) {
        ExtensionContext classContext = e.getTestMethod().isPresent() ? e.getParent().orElseThrow() : e;
        return classContext.getStore(NS).getOrComputeIfAbsent("browser", k -> {
            try {
                return Browser.start();
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }, Browser.class);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext e, Throwable failure) throws Throwable {
        Browser b = e.getParent().map(c -> c.getStore(NS).get("browser", Browser.class)).orElse(null);
        if (b != null) {
            try {
                var file = b.screenshot(e.getRequiredTestClass().getSimpleName() + "." + e.getRequiredTestMethod().getName()
                        + "-FAILED");
                failure.addSuppressed(new Exception("screenshot of the page: " + file.toAbsolutePath()));
            } catch (Exception screenshotFailed) {
                failure.addSuppressed(screenshotFailed);
            }
        }
        throw failure;
    }

    @Override
    public void afterAll(ExtensionContext e) {
        Browser b = e.getStore(NS).remove("browser", Browser.class);
        if (b != null) {
            b.close();
        }
    }
}
