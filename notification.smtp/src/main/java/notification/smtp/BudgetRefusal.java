package notification.smtp;

import notification.api.transport.MessageStart;

/** The budget said no: no connection slot, or the message may not start yet. Nothing was sent. */
final class BudgetRefusal extends Exception {
    private static final long serialVersionUID = 1L;

    /** The budget's answer, with its wait and reason. */
    final transient MessageStart answer;

    BudgetRefusal(MessageStart answer) {
        super(answer.reason(), null, false, false);
        this.answer = answer;
    }
}
