package notification.store.postgresql.internal;

/**
 * What the pool connects to; {@code null} from {@link #from} when the outbox stays in the journal.
 *
 * @param url the JDBC URL as configured
 * @param target the URL without its query (which may carry credentials), for logs and service properties
 * @param user the user
 * @param password the password
 * @param poolSize the connections kept
 */
record PoolSettings(String url, String target, String user, String password, int poolSize) {

    static PoolSettings from(PoolConfiguration c) {
        if (!"postgresql".equalsIgnoreCase(c.store().trim())) {
            return null;
        }
        String url = c.jdbcUrl().trim();
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("store=postgresql needs jdbcUrl=jdbc:postgresql://HOST:PORT/DATABASE"
                    + " in conf/notification.core.cfg (it is '" + target(url) + "')");
        }
        return new PoolSettings(url, target(url), c.jdbcUser().trim(), c.jdbcPassword(), Math.max(2, c.jdbcPoolSize()));
    }

    private static String target(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return target + " as " + user;
    }
}
