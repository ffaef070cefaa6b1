/*
 * tree: shaped like a small container library on picolibc — what Embench's programs that lean on the C
 * library do. An AVL tree of string-keyed records and a doubly linked list, every node and key from
 * picolibc's malloc (and freed again, so the free lists churn), keys formatted with snprintf and
 * compared with strcmp, a growing array with realloc sorted by qsort through a comparison callback, and
 * bsearch over it. Rounds insert, look up, delete and walk; the checksum folds what the walks see.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BENCH_NAME "tree"
#define BENCH_EXPECTED 0xFB989E12u
#include "pico.h"

#define ROUNDS 6
#define KEYS 400

struct node {
    struct node *left, *right;
    int height;
    uint32_t value;
    char *key;
};

static int height(const struct node *n) { return n != NULL ? n->height : 0; }
static int max_int(int a, int b) { return a > b ? a : b; }
static void fix_height(struct node *n) { n->height = 1 + max_int(height(n->left), height(n->right)); }

static struct node *rotate_right(struct node *n)
{
    struct node *l = n->left;
    n->left = l->right;
    l->right = n;
    fix_height(n);
    fix_height(l);
    return l;
}

static struct node *rotate_left(struct node *n)
{
    struct node *r = n->right;
    n->right = r->left;
    r->left = n;
    fix_height(n);
    fix_height(r);
    return r;
}

static struct node *balance(struct node *n)
{
    fix_height(n);
    int b = height(n->left) - height(n->right);
    if (b > 1) {
        if (height(n->left->left) < height(n->left->right)) n->left = rotate_left(n->left);
        return rotate_right(n);
    }
    if (b < -1) {
        if (height(n->right->right) < height(n->right->left)) n->right = rotate_right(n->right);
        return rotate_left(n);
    }
    return n;
}

static char *copy_string(const char *s)
{
    size_t length = strlen(s) + 1;
    char *copy = malloc(length);
    if (copy != NULL) memcpy(copy, s, length);
    return copy;
}

static struct node *insert(struct node *n, const char *key, uint32_t value)
{
    if (n == NULL) {
        struct node *fresh = malloc(sizeof *fresh);
        if (fresh == NULL) return NULL;
        fresh->left = fresh->right = NULL;
        fresh->height = 1;
        fresh->value = value;
        fresh->key = copy_string(key);
        return fresh;
    }
    int c = strcmp(key, n->key);
    if (c == 0) { n->value += value; return n; }
    if (c < 0) n->left = insert(n->left, key, value);
    else n->right = insert(n->right, key, value);
    return balance(n);
}

static struct node *remove_min(struct node *n, struct node **min)
{
    if (n->left == NULL) { *min = n; return n->right; }
    n->left = remove_min(n->left, min);
    return balance(n);
}

static struct node *erase(struct node *n, const char *key, uint32_t *erased)
{
    if (n == NULL) return NULL;
    int c = strcmp(key, n->key);
    if (c < 0) n->left = erase(n->left, key, erased);
    else if (c > 0) n->right = erase(n->right, key, erased);
    else {
        struct node *l = n->left, *r = n->right;
        *erased += n->value;
        free(n->key);
        free(n);
        if (r == NULL) return l;
        struct node *min;
        r = remove_min(r, &min);
        min->left = l;
        min->right = r;
        return balance(min);
    }
    return balance(n);
}

static const struct node *find(const struct node *n, const char *key)
{
    while (n != NULL) {
        int c = strcmp(key, n->key);
        if (c == 0) return n;
        n = c < 0 ? n->left : n->right;
    }
    return NULL;
}

static void destroy(struct node *n)
{
    if (n == NULL) return;
    destroy(n->left);
    destroy(n->right);
    free(n->key);
    free(n);
}

/* ---- doubly linked list, filled by an in-order walk ---- */

struct item { struct item *prev, *next; uint32_t value; char tag[12]; };
struct list { struct item *head, *tail; int count; };

static void list_append(struct list *l, uint32_t value, const char *key)
{
    struct item *it = malloc(sizeof *it);
    if (it == NULL) return;
    it->value = value;
    strncpy(it->tag, key, sizeof it->tag - 1);
    it->tag[sizeof it->tag - 1] = '\0';
    it->next = NULL;
    it->prev = l->tail;
    if (l->tail != NULL) l->tail->next = it; else l->head = it;
    l->tail = it;
    l->count++;
}

static void walk(const struct node *n, struct list *l)
{
    if (n == NULL) return;
    walk(n->left, l);
    list_append(l, n->value, n->key);
    walk(n->right, l);
}

static uint32_t list_drain(struct list *l, uint32_t checksum)
{
    /* Every third item is unlinked from the middle first, then the rest from the tail. */
    int i = 0;
    for (struct item *it = l->head; it != NULL; i++) {
        struct item *next = it->next;
        if (i % 3 == 1) {
            if (it->prev != NULL) it->prev->next = it->next; else l->head = it->next;
            if (it->next != NULL) it->next->prev = it->prev; else l->tail = it->prev;
            checksum = (checksum ^ it->value) * 0x01000193u + (uint8_t)it->tag[0];
            free(it);
            l->count--;
        }
        it = next;
    }
    while (l->tail != NULL) {
        struct item *it = l->tail;
        l->tail = it->prev;
        checksum = (checksum ^ it->value ^ (uint32_t)strlen(it->tag)) * 0x01000193u;
        free(it);
        l->count--;
    }
    l->head = NULL;
    return checksum ^ (uint32_t)l->count;
}

/* ---- a growing array of keys, sorted by qsort and searched by bsearch ---- */

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint32_t next_random(uint32_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

uint32_t bench_run(void)
{
    uint32_t state = bench_seed, checksum = 0x811c9dc5u;
    struct node *root = NULL;
    char key[24];
    for (int round = 0; round < ROUNDS; round++) {
        char **keys = NULL;
        int count = 0, capacity = 0;
        for (int i = 0; i < KEYS; i++) {
            uint32_t r = next_random(&state);
            snprintf(key, sizeof key, "k%03lu-%lx", (unsigned long)(r % 997), (unsigned long)(r >> 20));
            root = insert(root, key, r & 0xffff);
            if (count == capacity) {
                capacity = capacity ? capacity * 2 : 16;
                keys = realloc(keys, (size_t)capacity * sizeof *keys);
                if (keys == NULL) return 0xbad;
            }
            keys[count++] = copy_string(key);
        }
        qsort(keys, (size_t)count, sizeof *keys, compare_keys);
        for (int i = 0; i < count; i += 7) {
            char **hit = bsearch(&keys[i], keys, (size_t)count, sizeof *keys, compare_keys);
            const struct node *n = find(root, keys[i]);
            checksum = (checksum ^ (uint32_t)(hit != NULL ? hit - keys : -1)) * 0x01000193u + (n != NULL ? n->value : 7u);
        }
        uint32_t erased = 0;
        for (int i = round & 1; i < count; i += 2) root = erase(root, keys[i], &erased);
        checksum = (checksum ^ erased) * 0x01000193u + (uint32_t)height(root);
        struct list l = { NULL, NULL, 0 };
        walk(root, &l);
        checksum = list_drain(&l, checksum);
        for (int i = 0; i < count; i++) free(keys[i]);
        free(keys);
    }
    destroy(root);
    return checksum;
}
