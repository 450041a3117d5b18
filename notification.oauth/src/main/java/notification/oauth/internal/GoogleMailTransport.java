package notification.oauth.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import notification.api.Person;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.SendingBudget;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;

/**
 * A Gmail / Google Workspace sending mailbox as a {@link MailTransport}: SMTP with XOAUTH2 or the Gmail API, tokens
 * encrypted under {@code <data dir>/tokens/<name>/} or in the database all nodes share. While it needs authorization,
 * while Google refuses its set-up, and while the mailbox's daily sending limits are used up, messages are not
 * attempted ({@link DeliveryResult.Status#UNAVAILABLE}) so they wait or fail over; none is dropped. The daily limits
 * and the connections are counted by the mailbox's {@link SendingBudget} (shared by every node sending as it) when
 * the service is there, else by this transport alone.
 */
final class GoogleMailTransport implements MailTransport, AutoCloseable {

    private final String name;
    private final GoogleSettings settings;
    private final HealthTracker health;
    private final GoogleAccessTokens tokens;
    private final AuthorizationFile authorizations;
    private final GoogleTokenStore store;
    private final SignInWatch watch;
    private final GoogleDailyMessages daily;
    private final MailboxBudget budget;
    private final MessageSender sender;
    private final GoogleAuthorization authorization;

    GoogleMailTransport(String name, GoogleSettings settings, Path tokenDirectory, Clock clock) {
        this(name, settings, tokenDirectory, new TokenFolder(tokenDirectory), clock);
    }

    /**
     * Creates the transport.
     *
     * @param tokenDirectory this node's token folder (begun sign-ins, the last sign-in error)
     * @param entries where the sign-in is kept: that folder, or the database all nodes share
     */
    GoogleMailTransport(String name, GoogleSettings settings, Path tokenDirectory, TokenEntries entries, Clock clock) {
        this(name, settings, tokenDirectory, entries, clock, () -> null);
    }

    /**
     * Creates the transport, asking a sending budget before each connection (API request) and message.
     *
     * @param tokenDirectory this node's token folder (begun sign-ins, the last sign-in error)
     * @param entries where the sign-in is kept: that folder, or the database all nodes share
     * @param sendingBudget the sending budget service as bound right now (a supplier of {@code null} without one)
     */
    GoogleMailTransport(String name, GoogleSettings settings, Path tokenDirectory, TokenEntries entries, Clock clock,
            Supplier<SendingBudget> sendingBudget) {
        this.name = name;
        this.settings = settings;
        this.health = new HealthTracker(settings.username, clock, new RecipientBudget(0, clock),
                new AuthorizationErrorFile(tokenDirectory), new SecretExpiry(""));
        this.watch = new SignInWatch(entries);
        this.authorizations = new AuthorizationFile(entries, TokenBinding.of(settings));
        this.store = new GoogleTokenStore(entries, authorizations);
        GoogleTokenClient client = new GoogleTokenClient(settings);
        this.tokens = new GoogleAccessTokens(client, store, entries, health, name, clock);
        this.daily = new GoogleDailyMessages(clock);
        // a mailbox's budget key needs its address: none while the configuration is incomplete (nothing is sent then)
        this.budget = !settings.complete() ? null : new MailboxBudget(sendingBudget, settings.username,
                settings.protocol.name().toLowerCase(Locale.ROOT), settings.maxConnections,
                () -> accountLimits().startLimits());
        this.sender = budget == null ? null : settings.protocol == GoogleSettings.Protocol.API
                ? new GmailApiSender(settings, tokens, health, clock, budget)
                : new GmailSmtp(settings, tokens, health, budget);
        // begun sign-ins stay in the node's folder, sealed with the folder's key (one instance of it per folder)
        TokenKey folderKey = entries.shared() ? new TokenKey(tokenDirectory) : entries.key();
        PendingAuthorizations pending = new PendingAuthorizations(new PendingFile(tokenDirectory, folderKey), clock);
        this.authorization = new GoogleAuthorization(name, settings, pending, client, store, entries, authorizations,
                health, clock);
        health.keptIn(entries);
        initialHealth();
        watch.changed();
    }

    private void initialHealth() {
        if (!settings.complete()) {
            health.notConfigured(settings.problems);
            return;
        }
        try {
            if (store.load().isEmpty()) {
                health.authorizationRequired(store.problem().orElse(HealthTracker.NOT_AUTHORIZED_YET));
            } else {
                authorizations.load().ifPresentOrElse(a -> health.authorized(a.record()),
                        () -> health.ready("Ready."));
            }
        } catch (IOException e) {
            health.failing(e.getMessage());
        }
    }

    /** While waiting for authorization: takes up a sign-in another node stored meanwhile. */
    private void noticeSignInElsewhere() {
        if (health.state() == TransportHealth.State.AUTHORIZATION_REQUIRED && watch.changed()) {
            initialHealth();
            checkInBackground();
        }
    }

    /** @return the sign-in service of this transport */
    GoogleAuthorization authorization() {
        return authorization;
    }

    /** @return the limits for the authorized account (consumer Gmail's until one is authorized) */
    GoogleAccountLimits accountLimits() {
        boolean workspace = tokens.stored().map(GoogleTokenStore.Tokens::workspace).orElse(false);
        return GoogleAccountLimits.of(settings, workspace);
    }

    @Override
    public Person sender() {
        return Person.of(settings.username);
    }

    @Override
    public DeliveryResult deliver(OutgoingMessage message) {
        noticeSignInElsewhere();
        TransportHealth now = health.health();
        if (sender == null || now.state() == TransportHealth.State.AUTHORIZATION_REQUIRED) {
            return DeliveryResult.unavailable(now.message());
        }
        Optional<String> held = health.held();
        if (held.isPresent()) {
            return DeliveryResult.unavailable(held.get());
        }
        if (settings.maxMessageSize > 0 && message.size() > settings.maxMessageSize) {
            return DeliveryResult.permanentFailure("The message is " + message.size() + " bytes; Gmail accepts at "
                    + "most " + settings.maxMessageSize + " bytes.");
        }
        GoogleAccountLimits limits = accountLimits();
        if (limits.recipientsPerMessage() > 0 && message.recipients().size() > limits.recipientsPerMessage()) {
            return DeliveryResult.permanentFailure("The message has " + message.recipients().size()
                    + " recipients; " + (limits.workspace() ? "this mailbox" : "a consumer Gmail account")
                    + " sends to at most " + limits.recipientsPerMessage() + " per message. Send it to fewer "
                    + "recipients (or to a group address), or use a Google Workspace mailbox.");
        }
        // with a budget service the day's messages and recipients are counted there (with the other nodes)
        Optional<String> exhausted = budget.counted() ? Optional.empty() : daily.exhausted(limits.messagesPerDay());
        if (exhausted.isPresent()) {
            return DeliveryResult.unavailable(exhausted.get());
        }
        DeliveryResult result = sender.send(message);
        if (result.status() == DeliveryResult.Status.SENT
                || result.recipientResults().stream().anyMatch(r -> r.status() == DeliveryResult.Status.SENT)) {
            daily.record();
        }
        return result;
    }

    @Override
    public TransportHealth health() {
        noticeSignInElsewhere();
        TransportHealth now = health.health();
        Optional<String> warning = daily.warning(accountLimits().messagesPerDay());
        if (warning.isEmpty()) {
            return now;
        }
        List<String> warnings = new ArrayList<>(now.warnings());
        warnings.add(warning.get());
        return new TransportHealth(now.state(), now.message(), now.lastSuccess(), now.lastFailure(), now.lastError(),
                warnings, now.verified());
    }

    @Override
    public TransportLimits limits() {
        return new TransportLimits(settings.maxConnections, 0, 0, settings.maxMessageSize);
    }

    /**
     * Checks without sending: for SMTP a token and AUTH XOAUTH2 at Gmail; for the API a fresh token from Google (the
     * granted scope allows no harmless call that proves more).
     */
    @Override
    public TransportHealth testConnection() {
        if (sender == null) {
            return health();
        }
        health.clearHold();
        String problem = sender.check();
        if (problem == null) {
            if (health.state() != TransportHealth.State.OK) {
                authorizations.loadOrNone().ifPresentOrElse(a -> health.authorized(a.record()),
                        () -> health.ready("Ready."));
            }
            health.checked();
        } else if (health.state() != TransportHealth.State.AUTHORIZATION_REQUIRED) {
            health.failing(problem);
        }
        return health();
    }

    /**
     * Runs {@link #testConnection()} on a thread of its own when the transport could deliver (configured and signed
     * in), so it proves itself right after activation or a sign-in without holding either up. Bounded by the
     * configured timeouts.
     */
    void checkInBackground() {
        if (sender == null || health.state() == TransportHealth.State.AUTHORIZATION_REQUIRED) {
            return;
        }
        Thread thread = new Thread(this::testConnection, "notification.oauth check " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Refreshes the access token now, so a sign-in unused for months does not lapse; failures show in health. */
    void keepAlive() {
        if (sender == null || tokens.stored().isEmpty()) {
            return;
        }
        try {
            tokens.get(true);
        } catch (TokenUnavailableException e) {
            // already reported in health
        }
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
    }

    @Override
    public String toString() {
        return "Google transport " + name;
    }
}
