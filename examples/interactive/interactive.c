/*
 * interactive: a program whose output depends on its input, so that a recording has outside events
 * (console input arriving at particular steps) and a replay has to feed them back at the same steps.
 *
 * It reads lines until end of input or a line "quit". A line of the form `<number> <op> <number>`
 * (op one of + - * / %) is evaluated; any other line gets its words and characters counted.
 *
 * Why stdin is opened by hand: picolibc's own stdin reads one character at a time with the semihosting
 * call SYS_READC, and on QEMU 7.2 that call is unusable (without a semihosting chardev it blocks
 * forever; with one it returns wrong characters, and it can never report end of input). Opening the
 * special file ":tt" for reading gives a handle to the console's input that is read with SYS_READ,
 * which on QEMU reads the host's standard input directly and reports end of file properly. fdopen()
 * then gives us an ordinary FILE, so the rest of the program is plain stdio (but see read_line). On
 * Rewind both paths work.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 128

/* Opens the console for reading as described above; falls back to picolibc's stdin if the host does not
   know ":tt" (then end of input may not be detectable, but "quit" still ends the program). */
static FILE *open_console_input(void)
{
    int fd = open(":tt", O_RDONLY);
    FILE *in = fd >= 0 ? fdopen(fd, "r") : NULL;
    return in != NULL ? in : stdin;
}

/* Reads one line into `line` without its terminator ("\n" or "\r\n"), truncating lines that do not fit.
   Returns 0 at end of input. Not fgets: picolibc's fgets returns NULL when end of input comes before a
   newline, which would silently drop a last line that has none (common when input is piped). */
static int read_line(FILE *in, char *line, size_t size)
{
    size_t n = 0;
    int c;
    while ((c = getc(in)) != EOF && c != '\n') {
        if (n + 1 < size)
            line[n++] = (char)c;
    }
    if (c == EOF && n == 0)
        return 0;
    if (n > 0 && line[n - 1] == '\r')
        n--;
    line[n] = '\0';
    return 1;
}

/* Evaluates "a op b". Returns 0 if the line is not such an expression, -1 on division by zero,
   1 with *result set otherwise. */
static int evaluate(const char *line, long *result)
{
    long a, b;
    char op, extra;
    /* " %c" after the second number catches trailing garbage such as "1 + 2 + 3". */
    if (sscanf(line, "%ld %c %ld %c", &a, &op, &b, &extra) != 3)
        return 0;
    switch (op) {
    case '+': *result = a + b; return 1;
    case '-': *result = a - b; return 1;
    case '*': *result = a * b; return 1;
    case '/': if (b == 0) return -1; *result = a / b; return 1;
    case '%': if (b == 0) return -1; *result = a % b; return 1;
    default: return 0;
    }
}

static unsigned count_words(const char *line)
{
    unsigned words = 0;
    int in_word = 0;
    for (const char *p = line; *p != '\0'; p++) {
        if (isspace((unsigned char)*p))
            in_word = 0;
        else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    return words;
}

int main(void)
{
    FILE *in = open_console_input();
    char line[LINE_MAX_LEN];
    unsigned lines = 0;

    printf("calculator: type \"12 * 7\", any other text to count its words, or quit\n");
    for (;;) {
        printf("> ");
        fflush(stdout);
        if (!read_line(in, line, sizeof line)) {
            printf("(end of input)\n");
            break;
        }
        if (strcmp(line, "quit") == 0) {
            printf("quit\n");
            break;
        }
        lines++;

        long value;
        int status = evaluate(line, &value);
        if (status > 0)
            printf("%s = %ld\n", line, value);
        else if (status < 0)
            printf("%s: division by zero\n", line);
        else {
            unsigned words = count_words(line), chars = (unsigned)strlen(line);
            printf("\"%s\": %u word%s, %u character%s\n", line, words, words == 1 ? "" : "s", chars,
                   chars == 1 ? "" : "s");
        }
    }
    printf("bye after %u line%s\n", lines, lines == 1 ? "" : "s");
    return 0;
}
