package io.herald.auth;

import io.herald.channel.ChannelPattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pattern containment and {sub} substitution: what a token's grants let a subscription reach. */
class GrantPatternsTest {

    @ParameterizedTest(name = "grants [{0}] for subject {1}, request {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            // exact names
            "news                 | alice | news              | true",
            "news                 | alice | news.x            | false",
            "news                 | alice | new               | false",
            // '*' is one segment
            "orders.*             | alice | orders.eu         | true",
            "orders.*             | alice | orders.*          | true",
            "orders.*             | alice | orders.eu.1       | false",
            "orders.*             | alice | orders            | false",
            "orders.*             | alice | orders.**         | false",
            "orders.*             | alice | *.eu              | false",
            // a trailing '**' is one or more
            "orders.**            | alice | orders.eu         | true",
            "orders.**            | alice | orders.*          | true",
            "orders.**            | alice | orders.*.*        | true",
            "orders.**            | alice | orders.**         | true",
            "orders.**            | alice | orders.eu.**      | true",
            "orders.**            | alice | orders            | false",
            "orders.**            | alice | **                | false",
            "**                   | alice | anything.at.all   | true",
            "**                   | alice | **                | true",
            // a literal grant never covers a wildcard in the request
            "orders.eu            | alice | orders.*          | false",
            "a.*.c                | alice | a.*.c             | true",
            "a.*.c                | alice | a.b.*             | false",
            "a.*.*                | alice | a.*.c             | true",
            // overlapping grants: one grant must cover the whole request
            "a.x;a.*              | alice | a.*               | true",
            "a.b.*;a.c.*          | alice | a.*.*             | false",
            "a.*;a.*.**           | alice | a.**              | false",
            // {sub}
            "user.{sub}.*         | alice | user.alice.inbox  | true",
            "user.{sub}.*         | alice | user.alice.*      | true",
            "user.{sub}.*         | alice | user.bob.inbox    | false",
            "user.{sub}.*         | alice | user.*.inbox      | false",
            "user.{sub}.*         | a.b   | user.a.b.inbox    | false",
            "user.{sub}.*         | a.b   | user.a.b          | false",
            "user.{sub}.**        | *     | user.x.y          | false",
            "user.{sub}.**        | **    | user.x.y          | false",
            "user.{sub}.**        | a b   | user.a b.x        | false",
            "user.{sub}           | ''    | user.             | false",
            "inbox-{sub}          | bob   | inbox-bob         | true",
            // invalid grants are dropped, never widened
            "orders.**.x;news     | alice | orders.a.x        | false",
            "news                 | alice | news              | true",
    })
    void covers(String grants, String subject, String requested, boolean expected) {
        List<String> list = Arrays.asList(grants.split(";"));
        boolean actual;
        try {
            actual = GrantPatterns.of(list, subject).covers(ChannelPattern.parse(requested));
        } catch (io.herald.api.ApiException invalidRequest) {
            actual = false; // a request that is not even a valid pattern is never covered
        }
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "orders.*   | orders.eu     | true",
            "orders.**  | orders.eu.1   | true",
            "orders.*   | orders.eu.1   | false",
            "user.{sub} | user.alice    | true",
            "user.{sub} | user.bob      | false",
    })
    void coversChannelForPrivateEvents(String grant, String channel, boolean expected) {
        assertEquals(expected, GrantPatterns.of(List.of(grant), "alice").coversChannel(channel));
    }
}
