package io.herald.embedded;

import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

import java.io.CharConversionException;
import java.io.IOException;

/**
 * Answers a request whose path cannot be decoded ({@code %F6}, {@code %00}, an encoded slash) with Herald's JSON 400.
 * Grizzly would otherwise fail such a path with an empty 500 before any Herald code runs.
 */
final class InvalidUriAddOn implements AddOn {

    /** Where undecodable requests are sent; served by {@link #handler()}. */
    static final String PATH = "/__herald/invalid-uri";

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int dispatcher = builder.indexOfType(org.glassfish.grizzly.http.server.HttpServerFilter.class);
        builder.add(dispatcher, new CheckFilter());
    }

    static HttpHandler handler() {
        return new HttpHandler() {
            @Override
            public void service(Request request, Response response) throws IOException {
                byte[] body = ("{\"error\":\"invalid_uri\",\"message\":\"The request path is not valid percent-encoded"
                        + " UTF-8, or encodes a slash or NUL\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                response.setStatus(400);
                response.setContentType("application/json");
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            }
        };
    }

    private static final class CheckFilter extends BaseFilter {
        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            if (ctx.getMessage() instanceof HttpContent content
                    && content.getHttpHeader() instanceof HttpRequestPacket request
                    && !request.getRequestURIRef().isDecoded()) {
                try {
                    request.getRequestURIRef().getDecodedURI(false); // false: an encoded slash is refused too
                } catch (CharConversionException | RuntimeException e) {
                    request.getRequestURIRef().init(PATH);
                    request.setQueryString(null);
                }
            }
            return ctx.getInvokeAction();
        }
    }
}
