package io.herald.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request body read ahead by {@link RequestBodyFilter}, with the client address the first pass saw (a container
 * may dispatch the unwrapped request again, without the real address behind a trusted proxy).
 */
record BufferedBody(byte[] bytes, String remoteAddr, String remoteHost) {

    /** {@code request} with this body as its input, and the first pass's client address. */
    HttpServletRequest wrap(HttpServletRequest request) {
        return new HttpServletRequestWrapper(request) {
            private final ByteArrayInputStream in = new ByteArrayInputStream(bytes);

            @Override
            public ServletInputStream getInputStream() {
                return new ServletInputStream() {
                    @Override
                    public int read() {
                        return in.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        return in.read(b, off, len);
                    }

                    @Override
                    public int available() {
                        return in.available();
                    }

                    @Override
                    public boolean isFinished() {
                        return in.available() == 0;
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        throw new IllegalStateException("The body has been read already");
                    }
                };
            }

            @Override
            public BufferedReader getReader() {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                return new BufferedReader(new InputStreamReader(in, charset));
            }

            @Override
            public int getContentLength() {
                return bytes.length;
            }

            @Override
            public long getContentLengthLong() {
                return bytes.length;
            }

            @Override
            public String getRemoteAddr() {
                return remoteAddr;
            }

            @Override
            public String getRemoteHost() {
                return remoteHost;
            }
        };
    }
}
