package io.herald.demo;

import io.herald.api.Jsons;
import io.herald.delivery.ChannelRegistry;
import io.herald.publish.HeraldMessage;
import io.herald.publish.Publisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The stock page's simulated market: a random walk per symbol, published as {@code price} on
 * {@code stocks.<SYMBOL>}, and an {@code alert} when a symbol moves more than 2% within a minute. Only symbols
 * someone watches are published, so an idle demo does not fill the hub's history.
 */
@ApplicationScoped
public class StockFeed {

    static final Map<String, Double> OPENING = Map.of("AAPL", 189.0, "MSFT", 415.0, "GOOG", 171.0,
            "AMZN", 182.0, "TSLA", 177.0, "NVDA", 880.0);

    @Inject
    Publisher publisher;
    @Inject
    ChannelRegistry registry;

    private final Map<String, Quote> quotes = new LinkedHashMap<>();

    /** One tick: moves one random symbol (each about every 1.5 s at a 250 ms tick). Called by one thread. */
    void tick() {
        if (quotes.isEmpty()) {
            OPENING.forEach((s, p) -> quotes.put(s, new Quote(s, p)));
        }
        Quote[] all = quotes.values().toArray(Quote[]::new);
        Quote q = all[ThreadLocalRandom.current().nextInt(all.length)];
        double price = q.move();
        if (registry.subscribersOf("stocks." + q.symbol).isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        publisher.publish(HeraldMessage.of("stocks." + q.symbol, "price", Jsons.JSON.createObjectBuilder()
                .add("symbol", q.symbol).add("price", round(price)).add("change", round(price - q.previousClose))
                .add("changePercent", round(100 * (price - q.previousClose) / q.previousClose))
                .add("time", now).build()));
        double minuteMove = q.minuteMove(now, price);
        if (Math.abs(minuteMove) >= 2 && now - q.lastAlertAt > 60_000) {
            q.lastAlertAt = now;
            String level = Math.abs(minuteMove) >= 4 ? "critical" : "warning";
            publisher.publish(HeraldMessage.of("stocks." + q.symbol, "alert", Jsons.JSON.createObjectBuilder()
                    .add("symbol", q.symbol).add("level", level)
                    .add("message", q.symbol + " moved " + round(minuteMove) + "% in 1 minute").add("time", now)
                    .build()));
        }
    }

    private static BigDecimal round(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
    }

    private static final class Quote {
        final String symbol;
        final double previousClose;
        double price;
        long lastAlertAt;
        final Deque<double[]> lastMinute = new ArrayDeque<>();

        Quote(String symbol, double price) {
            this.symbol = symbol;
            this.previousClose = price;
            this.price = price;
        }

        double move() {
            // mostly small steps, now and then a jump, pulled back towards the opening price
            ThreadLocalRandom r = ThreadLocalRandom.current();
            double step = r.nextGaussian() * 0.002 + (r.nextInt(40) == 0 ? r.nextGaussian() * 0.02 : 0);
            double pull = (previousClose - price) / previousClose * 0.02;
            price = Math.max(1, price * (1 + step + pull));
            return price;
        }

        /** Percent change against the oldest price of the last minute. */
        double minuteMove(long now, double current) {
            lastMinute.addLast(new double[] {now, current});
            while (now - lastMinute.peekFirst()[0] > 60_000) {
                lastMinute.removeFirst();
            }
            double oldest = lastMinute.peekFirst()[1];
            return 100 * (current - oldest) / oldest;
        }
    }
}
