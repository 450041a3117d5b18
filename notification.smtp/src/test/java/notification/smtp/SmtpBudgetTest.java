package notification.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import notification.api.transport.BudgetKey;
import notification.api.transport.ConnectionSlot;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.MessageStart;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.SendingBudget;
import notification.testkit.FakeExchangeSmtpServer;
import notification.testkit.IssuedTokens;
import notification.testkit.StoredTestMessage;
import notification.testkit.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine asks its budget before each connection and each message, and holds what the budget refuses. */
class SmtpBudgetTest {
    private static final String MAILBOX = "scanner@contoso.example";
    private final FakeExchangeSmtpServer server = FakeExchangeSmtpServer.start(IssuedTokens.standalone());
    private SmtpClient engine;

    /** Slots and starts counted here, as the budget service would for one node. */
    private static final class CountingBudget implements SmtpBudget {
        final AtomicInteger slotsLeft;
        final AtomicInteger startsLeft;
        final AtomicInteger slotsGivenBack = new AtomicInteger();

        CountingBudget(int slots, int starts) {
            this.slotsLeft = new AtomicInteger(slots);
            this.startsLeft = new AtomicInteger(starts);
        }

        @Override
        public Optional<ConnectionSlot> takeConnection() {
            if (slotsLeft.getAndDecrement() <= 0) {
                slotsLeft.incrementAndGet();
                return Optional.empty();
            }
            return Optional.of(new ConnectionSlot() {
                @Override
                public BudgetKey key() {
                    return new BudgetKey(MAILBOX, "smtp");
                }

                @Override
                public void close() {
                    slotsGivenBack.incrementAndGet();
                    slotsLeft.incrementAndGet();
                }
            });
        }

        @Override
        public MessageStart startMessage(OutgoingMessage message) {
            return startsLeft.getAndDecrement() > 0 ? MessageStart.granted()
                    : MessageStart.notYet(Duration.ofSeconds(42), "30 messages in the last minute");
        }
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        server.close();
    }

    private SmtpClient engine(SmtpBudget budget) {
        server.acceptPassword(MAILBOX, "secret");
        engine = new SmtpClient(SmtpServer.builder(server.host(), server.port(), SmtpSecurity.STARTTLS)
                .timeouts(5_000, 5_000, 5_000)
                .trust(TestTls.clientContext().getSocketFactory())
                .maxConnections(3)
                .authentication(SmtpAuthentication.password(MAILBOX, "secret"))
                .budget(budget)
                .build());
        return engine;
    }

    private static StoredTestMessage scan(String subject) {
        return StoredTestMessage.text(MAILBOX, subject, "a@example.org");
    }

    @Test
    void withoutASlotNothingConnectsAndTheMessageIsHeldForAWhile() {
        SmtpResult result = engine(new CountingBudget(0, 10)).send(scan("no slot"));
        assertEquals(SmtpResult.Outcome.HELD, result.outcome());
        assertEquals(Status.UNAVAILABLE, result.delivery().status());
        assertEquals(SendingBudget.RETRY_FOR_CONNECTION, result.delivery().retryAfter());
        assertTrue(result.delivery().reply().contains("No connection to localhost"), result.delivery().reply());
        assertEquals(0, server.connectionsOpened());
        assertEquals(SmtpResult.Outcome.HELD, engine.check().outcome(), "a check asks for a slot too");
    }

    @Test
    void aStartRefusedSendsNothingAndKeepsTheConnection() {
        CountingBudget budget = new CountingBudget(1, 1);
        SmtpClient client = engine(budget);
        assertEquals(SmtpResult.Outcome.SENT, client.send(scan("first")).outcome());
        SmtpResult second = client.send(scan("second"));
        assertEquals(SmtpResult.Outcome.HELD, second.outcome());
        assertEquals(Duration.ofSeconds(42), second.delivery().retryAfter());
        assertEquals("30 messages in the last minute", second.delivery().reply());
        assertEquals(1, server.messages().size());
        assertEquals(1, client.idleConnections(), "the connection stays for the next message");
    }

    @Test
    void aConnectionGivesBackItsSlotWhenItCloses() {
        CountingBudget budget = new CountingBudget(1, 10);
        SmtpClient client = engine(budget);
        client.send(scan("one"));
        assertEquals(0, budget.slotsLeft.get(), "held by the idle connection");
        client.close();
        assertEquals(1, budget.slotsGivenBack.get());
        assertEquals(1, budget.slotsLeft.get());
    }
}
