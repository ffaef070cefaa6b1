/*
 * bug: a small bank ledger with a real memory-corruption bug, the demo for debugging backwards.
 *
 * The day's postings are applied to four accounts; each account remembers its last few postings for the
 * statement; at the end an audit checks that the balances add up to the sum of everything posted. They
 * do not: one account's balance is wrong, and nothing in that account's own postings explains it.
 * Going forwards that is a long hunt. Going backwards it is two steps: put a data breakpoint on the
 * wrong balance at the audit and reverse-continue.
 *
 * Debugger tests break on the lines whose comment is a "#BP_" marker (in main, at the stray write, at
 * the report). Spoiler at the end.
 */
#include <stdint.h>
#include <stdio.h>

#define ACCOUNTS 4
#define RECENT 4                   /* postings remembered per account, for the statement */

struct account {
    int32_t balance;               /* whole dollars */
    uint32_t postings;             /* how many postings ever */
    char owner[8];
    int32_t *next;                 /* the slot of recent[] the next posting goes to */
    int32_t recent[RECENT];        /* ring buffer of the latest postings */
};

struct ledger {
    struct account accounts[ACCOUNTS];
    int32_t control_total;         /* sum of every amount posted: what the balances must add up to */
    uint32_t posted;
};

struct posting {
    uint8_t account;
    int32_t amount;
};

enum { ALICE, BOB, CAROL, DAVE };

const char *const bank_name = "Rewind Savings";
struct ledger bank;
struct account *busiest;           /* the account with the most postings so far */

static const struct posting journal[] = {
    {ALICE, 500}, {BOB, 120},   {CAROL, 75}, {ALICE, -40}, {BOB, -20},   {DAVE, 300},
    {ALICE, -60}, {CAROL, 25},  {ALICE, 200}, {DAVE, -50}, {ALICE, -35}, {CAROL, -30},
    {DAVE, 80},   {ALICE, 15},  {CAROL, 60}, {DAVE, -20},
};
#define JOURNAL_LEN (sizeof journal / sizeof journal[0])

static void open_account(struct account *a, const char *owner)
{
    for (int i = 0; i < (int)sizeof a->owner - 1 && owner[i] != '\0'; i++)
        a->owner[i] = owner[i];
    a->next = a->recent;
}

static void open_bank(struct ledger *l)
{
    static const char *const owners[ACCOUNTS] = {"alice", "bob", "carol", "dave"};
    for (int i = 0; i < ACCOUNTS; i++)
        open_account(&l->accounts[i], owners[i]);
}

/* Remembers `amount` in the account's ring of recent postings. */
static void remember(struct account *a, int32_t amount)
{
    *a->next = amount; // #BP_CORRUPT
    a->next++;
    if (a->next > &a->recent[RECENT])
        a->next = a->recent;
}

static void post(struct ledger *l, const struct posting *p)
{
    struct account *a = &l->accounts[p->account];
    a->balance += p->amount;
    a->postings++;
    remember(a, p->amount);
    l->control_total += p->amount;
    l->posted++;
    if (busiest == NULL || a->postings > busiest->postings)
        busiest = a;
}

static void print_statement(const struct account *a)
{
    printf("%-6s balance %5ld after %lu postings; recent:", a->owner, (long)a->balance,
           (unsigned long)a->postings);
    uint32_t shown = a->postings < RECENT ? a->postings : RECENT;
    for (uint32_t i = 0; i < shown; i++)
        printf(" %ld", (long)a->recent[i]);
    printf("\n");
}

/* Returns the difference between the balances and the control total (0 when the books balance). */
static int32_t audit(const struct ledger *l)
{
    int32_t sum = 0;
    for (int i = 0; i < ACCOUNTS; i++)
        sum += l->accounts[i].balance;
    return sum - l->control_total;
}

int main(void)
{
    open_bank(&bank); // #BP_MAIN

    for (uint32_t i = 0; i < JOURNAL_LEN; i++)
        post(&bank, &journal[i]);

    printf("%s: %lu postings, control total %ld\n", bank_name, (unsigned long)bank.posted,
           (long)bank.control_total);
    for (int i = 0; i < ACCOUNTS; i++)
        print_statement(&bank.accounts[i]);
    printf("busiest account: %s\n", busiest->owner);

    int32_t difference = audit(&bank);
    if (difference != 0) {
        printf("AUDIT FAILED: balances are off by %ld\n", (long)difference); // #BP_REPORT
        return 1;
    }
    printf("audit ok\n");
    return 0;
}

/*
 * Spoiler. remember() wraps its pointer one slot too late: `>` should be `>=`. So every fifth posting to
 * an account is written to recent[RECENT], one past the end of the array, which is the first field of
 * the next account in memory: its balance. Alice's fifth posting (-35) overwrites Bob's balance (100),
 * long before anyone looks at it, and the audit at the end is off by -135.
 */
