package io.herald.http;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The proxies whose {@code X-Forwarded-For} is believed ({@code herald.http.trusted-proxies}: addresses or CIDR
 * ranges). The client is the rightmost address in the chain that is not a trusted proxy; a request that does not
 * come from a trusted proxy keeps its own address, so nobody can spoof one from outside.
 */
@ApplicationScoped
public class TrustedProxies {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    @Inject
    @ConfigProperty(name = "herald.http.trusted-proxies")
    Optional<String> config;

    private final List<Cidr> trusted = new ArrayList<>();

    record Cidr(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    /** Reads the settings at start, so a wrong one stops the deployment instead of failing requests. */
    void validateAtStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // observing creates the bean, which runs init()
    }

    @PostConstruct
    void init() {
        config.ifPresent(text -> {
            for (String item : text.split(",")) {
                String s = item.trim();
                if (!s.isEmpty()) {
                    trusted.add(parseCidr(s));
                }
            }
        });
    }

    static Cidr parseCidr(String s) {
        int slash = s.indexOf('/');
        byte[] address = literal(slash < 0 ? s : s.substring(0, slash));
        if (address == null) {
            throw new IllegalStateException("herald.http.trusted-proxies: '" + s + "' is not an IP address or CIDR");
        }
        int bits = address.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("herald.http.trusted-proxies: bad prefix length in '" + s + "'", e);
            }
            if (bits < 0 || bits > address.length * 8) {
                throw new IllegalStateException("herald.http.trusted-proxies: bad prefix length in '" + s + "'");
            }
        }
        return new Cidr(address, bits);
    }

    /** The bytes of an IP literal, or null; never resolves a host name. */
    static byte[] literal(String text) {
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (!(IPV4.matcher(s).matches() || s.length() <= 45 && IPV6.matcher(s).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    boolean isTrusted(String address) {
        if (trusted.isEmpty() || address == null) {
            return false;
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Cidr c : trusted) {
            if (c.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The client address of a request that arrived from {@code remoteAddress} with these X-Forwarded-For headers. */
    public String clientAddress(String remoteAddress, Enumeration<String> forwardedFor) {
        if (!isTrusted(remoteAddress) || forwardedFor == null) {
            return remoteAddress;
        }
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(forwardedFor)) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        String client = remoteAddress;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (literal(hop) == null) {
                return client; // garbage: nothing left of it can be believed
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }
}
