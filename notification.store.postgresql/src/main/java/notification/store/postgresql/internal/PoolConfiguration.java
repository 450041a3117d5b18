package notification.store.postgresql.internal;

/**
 * The keys of {@code conf/notification.core.cfg} this bundle reads; the notification service's own metatype declares
 * them for the console.
 */
public @interface PoolConfiguration {

    /** {@code journal} (the default) or {@code postgresql}. */
    String store() default "journal";

    /** For example {@code jdbc:postgresql://db.example:5432/notifications?sslmode=verify-full}. */
    String jdbcUrl() default "";

    /** The database user. */
    String jdbcUser() default "";

    /** The user's password, normally {@code $[secret:name]}. */
    String jdbcPassword() default "";

    /** Connections kept open to the database. */
    int jdbcPoolSize() default 8;
}
