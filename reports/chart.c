/*
 * gnuplot charts. The script is produced by chart_script() and piped into
 * `gnuplot` on its standard input; the data (and every text that comes from
 * the data) is an inline datablock, so only our own fixed code is code.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "reports/chart.h"
#include "util/outfile.h"

#define FONT "WenQuanYi Zen Hei"

/* The series colours: muted, distinguishable in grey print. */
static const char *const COLOURS[CHART_MAX_SERIES] = {
	"#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a5a5a5", "#bf9000"
};

/*
 * Writes text as one double-quoted gnuplot data field. gnuplot reads a
 * quoted data field up to the next '"' and knows no escapes there, so the
 * characters that could end the field or the line are dropped: '"', '\\',
 * and control characters (newline, CR, tab, ...). Because the field always
 * starts with '"', no datablock line can ever read as the terminator EOD.
 */
static void put_data_label(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");

	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\' || *s < 0x20 || *s == 0x7F)
			continue;
		fputc(*s, out);
	}
	fputc('"', out);
}

/*
 * Our own fixed strings (titles, axis names) and the output path go into
 * single-quoted gnuplot strings, where nothing is special except the quote
 * itself, written twice. Control characters are dropped so the string
 * stays on its line.
 */
static void put_code_string(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");

	fputc('\'', out);
	for (; *s; s++) {
		if (*s < 0x20 || *s == 0x7F)
			continue;
		if (*s == '\'')
			fputc('\'', out);
		fputc(*s, out);
	}
	fputc('\'', out);
}

static double scaled(const struct chart *c, double v)
{
	return c->percent ? v * 100.0 : v;
}

static void put_datablock(FILE *out, const struct chart *c)
{
	int i, k;

	fputs("$data << EOD\n", out);
	put_data_label(out, "");
	for (k = 0; k < c->nseries; k++) {
		fputc(' ', out);
		put_data_label(out, c->series[k]);
	}
	fputc('\n', out);
	for (i = 0; i < c->ncats; i++) {
		put_data_label(out, c->cats[i]);
		for (k = 0; k < c->nseries; k++) {
			double v = c->values[i * c->nseries + k];

			if (isnan(v))
				fputs(" -", out);
			else
				fprintf(out, " %.4f", scaled(c, v));
		}
		fputc('\n', out);
	}
	fputs("EOD\n", out);
}

/*
 * A tick step in whole units (1, 2, 5, 10, 20, 50, ...) giving at most ten
 * ticks up to the largest value (a stacked bar's largest sum), so a count
 * axis never reads 0.5.
 */
static double whole_step(const struct chart *c)
{
	double most = 0, step = 1;
	int i, k;

	for (i = 0; i < c->ncats; i++) {
		double sum = 0;

		for (k = 0; k < c->nseries; k++) {
			double v = c->values[i * c->nseries + k];

			if (isnan(v))
				continue;
			if (c->kind == CHART_STACKED)
				sum += v;
			else if (v > sum)
				sum = v;
		}
		if (sum > most)
			most = sum;
	}
	while (most / step > 10) {
		double mantissa = step / pow(10, floor(log10(step) + 1e-9));

		step *= mantissa < 1.5 ? 2 : mantissa < 3 ? 2.5 : 2;
	}
	return step;
}

static void put_common(FILE *out, const struct chart *c, const char *png_path)
{
	fprintf(out, "set terminal pngcairo noenhanced font '%s,10' size %d,%d background '#ffffff'\n",
		FONT, c->width > 0 ? c->width : 1000, c->height > 0 ? c->height : 460);
	fputs("set output ", out);
	put_code_string(out, png_path);
	fputs("\nset encoding utf8\nset datafile missing '-'\n", out);
	fputs("set border 3 lc rgb '#666666'\nset tics nomirror textcolor rgb '#333333'\n", out);
	fputs("set grid ytics lc rgb '#dddddd' dt 1\n", out);
	fputs("set key outside top center horizontal noenhanced textcolor rgb '#333333'\n", out);
	fputs("set key autotitle columnheader\n", out);
	fputs("set lmargin 10\nset bmargin 6\n", out);
	if (c->title) {
		fputs("set title ", out);
		put_code_string(out, c->title);
		fputs(" font ',12'\n", out);
	}
	if (c->ylabel) {
		fputs(c->kind == CHART_HBARS ? "set xlabel " : "set ylabel ", out);
		put_code_string(out, c->ylabel);
		fputc('\n', out);
	}
	if (c->percent) {
		fprintf(out, "set %srange [0:105]\nset format %s '%%.0f%%%%'\n",
			c->kind == CHART_HBARS ? "x" : "y", c->kind == CHART_HBARS ? "x" : "y");
	} else {
		const char *axis = c->kind == CHART_HBARS ? "x" : "y";

		if (c->kind != CHART_HBARS)
			fputs("set yrange [0:*]\n", out);
		if (c->whole)
			fprintf(out, "set %stics %g\nset format %s '%%.0f'\n", axis,
				whole_step(c), axis);
		if (c->money)
			fprintf(out, "set format %s '¥%%.0f'\n", axis);
	}
}

static void put_target(FILE *out, const struct chart *c)
{
	if (!c->has_target)
		return;
	fprintf(out, "set arrow from graph 0, first %.4f to graph 1, first %.4f nohead "
		"lc rgb '#c00000' lw 2 dt 2 front\n", scaled(c, c->target), scaled(c, c->target));
}

static void put_lines(FILE *out, const struct chart *c)
{
	int every = c->label_every > 0 ? c->label_every : 1;
	int k;

	/*
	 * Slanted labels end at their tick ("right"): left-aligned ones began
	 * there and ran to the right, under the next category, and the last
	 * one ran off the picture (the annual report's "2026-12" read "2026").
	 */
	fputs("set xtics rotate by 45 right scale 0\nset offsets 0.3, 0.3, 0, 0\n", out);
	put_target(out, c);
	fputs("plot ", out);
	for (k = 0; k < c->nseries; k++)
		fprintf(out, "%s$data using 0:%d:xtic(int($0) %% %d == 0 ? stringcolumn(1) : '') "
			"with linespoints lw 2 pt 7 ps 0.6 lc rgb '%s'",
			k ? ", " : "", k + 2, every, COLOURS[k]);
	if (c->has_target && c->target_label) {
		fputs(", NaN with lines lc rgb '#c00000' lw 2 dt 2 title ", out);
		put_code_string(out, c->target_label);
	}
	fputc('\n', out);
}

static void put_bars(FILE *out, const struct chart *c, int stacked)
{
	int k;

	fprintf(out, "set style data histograms\nset style histogram %s\n",
		stacked ? "rowstacked" : "clustered gap 1");
	fputs("set style fill solid 0.9 border -1\nset boxwidth 0.7\n", out);
	/* ending at the tick, under its bars (see put_lines()) */
	fputs("set xtics rotate by 30 right scale 0\n", out);
	put_target(out, c);
	fputs("plot ", out);
	for (k = 0; k < c->nseries; k++)
		fprintf(out, "%s$data using %d%s lc rgb '%s'", k ? ", " : "", k + 2,
			k == 0 ? ":xtic(1)" : "", COLOURS[k]);
	if (c->has_target && c->target_label) {
		fputs(", NaN with lines lc rgb '#c00000' lw 2 dt 2 title ", out);
		put_code_string(out, c->target_label);
	}
	fputc('\n', out);
}

static double hbar_max(const struct chart *c)
{
	double most = 0;
	int i;

	for (i = 0; i < c->ncats; i++)
		if (!isnan(c->values[i * c->nseries]) && c->values[i * c->nseries] > most)
			most = c->values[i * c->nseries];
	return scaled(c, most);
}

/* Horizontal bars: the first category at the top. */
static void put_hbars(FILE *out, const struct chart *c)
{
	fputs("set style fill solid 0.9 border -1\nset key off\n", out);
	fputs("set grid xtics noytics\nset lmargin 22\nset ytics scale 0\n", out);
	fprintf(out, "set yrange [%.1f:-0.6]\n", c->ncats - 0.4);
	fprintf(out, "set xrange [0:%.4f]\n", hbar_max(c) * 1.12 + 1);
	fprintf(out, "plot $data using ($2/2):0:($2/2):(0.35):yticlabels(1) "
		"with boxxyerror lc rgb '%s'", COLOURS[0]);
	fputs(", $data using 2:0:(sprintf('%.0f', $2)) with labels left offset 0.5,0 notitle\n", out);
}

int chart_script(FILE *out, const struct chart *c, const char *png_path)
{
	if (c->nseries < 1 || c->nseries > CHART_MAX_SERIES || c->ncats < 0)
		return -1;
	put_datablock(out, c);
	put_common(out, c, png_path);
	switch (c->kind) {
	case CHART_LINES: put_lines(out, c); break;
	case CHART_BARS: put_bars(out, c, 0); break;
	case CHART_STACKED: put_bars(out, c, 1); break;
	case CHART_HBARS: put_hbars(out, c); break;
	}
	fputs("unset output\n", out);
	return ferror(out) ? -1 : 0;
}

/*
 * gnuplot's message for the user: the last non-empty line it wrote (an
 * error comes after the echoed script line and the caret).
 */
static void last_line(int fd, char *buf, size_t size)
{
	char all[4096];
	ssize_t n;
	char *end, *start;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, all, sizeof(all) - 1);
	all[n > 0 ? n : 0] = '\0';
	end = all + strlen(all);
	while (end > all && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	start = strrchr(all, '\n');
	snprintf(buf, size, "%s", start ? start + 1 : all);
}

int chart_has_data(const struct chart *c)
{
	int i;

	for (i = 0; i < c->ncats * c->nseries; i++)
		if (isfinite(c->values[i]))
			return 1;
	return 0;
}

/*
 * gnuplot's time limit: PMAUDIT_GNUPLOT_TIMEOUT seconds, default 60 (a
 * chart takes a tenth of a second; a gnuplot that hangs must not hang the
 * month-end run).
 */
static double gnuplot_timeout(void)
{
	const char *env = getenv("PMAUDIT_GNUPLOT_TIMEOUT");
	double t = env ? atof(env) : 0;

	return t > 0 ? t : 60;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Waits for gnuplot until the deadline; kills it then. 1: timed out. */
static int wait_gnuplot(pid_t pid, int *status, double deadline, pm_error *err)
{
	for (;;) {
		pid_t got = waitpid(pid, status, WNOHANG);
		struct timespec nap = { 0, 10 * 1000 * 1000 };

		if (got == pid)
			return 0;
		if (got < 0 && errno != EINTR)
			return pm_fail(err, "waitpid: %s", strerror(errno));
		if (now_seconds() >= deadline) {
			kill(pid, SIGKILL);
			while (waitpid(pid, status, 0) < 0 && errno == EINTR)
				;
			return 1;
		}
		nanosleep(&nap, NULL);
	}
}

/*
 * One gnuplot for all the charts of a report: each chart's script is
 * followed by a line that prints MARK and gnuplot's error number on its
 * standard output, which we read back before the PNG is used. Starting
 * gnuplot (its libraries, fontconfig and the fonts) cost more than
 * drawing a chart: 0.07 of the 0.09 CPU seconds of a chart drawn alone.
 */
#define MARK "pmaudit-chart-done"

struct chart_session {
	pid_t pid;
	int slot;          /* its signal-registry slot (outfile_register_child) */
	int in, out;       /* gnuplot's standard input and output, our ends */
	int errfd;         /* its standard error: a temporary file, unlinked */
	int done;          /* gnuplot exited (its status is in status) */
	int status;
	char line[256];    /* the output line read so far */
	size_t nline;
};

static int start_gnuplot(struct chart_session *s, pm_error *err)
{
	char errtmp[] = "/tmp/pmaudit-gnuplot-XXXXXX";
	int in[2], out[2];
	sigset_t cleanup_old;

	s->errfd = mkostemp(errtmp, O_CLOEXEC);
	if (s->errfd < 0)
		return pm_fail(err, "cannot create a temporary file: %s", strerror(errno));
	unlink(errtmp);
	if (pipe2(in, O_CLOEXEC) < 0)
		return pm_fail(err, "pipe: %s", strerror(errno));
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return pm_fail(err, "pipe: %s", strerror(errno));
	}
	/* a SIGINT or SIGTERM to pmaudit kills gnuplot too: registered before any signal */
	outfile_signals_block(&cleanup_old);
	s->pid = fork();
	if (s->pid == 0) {
		pthread_sigmask(SIG_SETMASK, &cleanup_old, NULL);
		/* killed with pmaudit even by SIGKILL, which no handler sees (Linux) */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* dup2() clears close-on-exec on the three it gives gnuplot */
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(s->errfd, 2);
		execlp("gnuplot", "gnuplot", (char *)NULL);
		_exit(127);
	}
	if (s->pid > 0)
		s->slot = outfile_register_child(s->pid);
	pthread_sigmask(SIG_SETMASK, &cleanup_old, NULL);
	close(in[0]);
	close(out[1]);
	s->in = in[1];
	s->out = out[0];
	if (s->pid < 0) {
		close(s->in);
		close(s->out);
		s->in = s->out = -1;
		return pm_fail(err, "fork: %s", strerror(errno));
	}
	fcntl(s->in, F_SETFL, fcntl(s->in, F_GETFL) | O_NONBLOCK);
	fcntl(s->out, F_SETFL, fcntl(s->out, F_GETFL) | O_NONBLOCK);
	return 0;
}

int chart_session_start(struct chart_session **out, pm_error *err)
{
	struct chart_session *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return pm_fail(err, "out of memory");
	s->in = s->out = s->errfd = s->slot = -1;
	if (start_gnuplot(s, err) < 0) {
		if (s->errfd >= 0)
			close(s->errfd);
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

/* gnuplot is done: reaped, or killed at the deadline (1: timed out). */
static int reap(struct chart_session *s, double deadline, pm_error *err)
{
	int rc;

	if (s->done)
		return 0;
	if (s->in >= 0)
		close(s->in);
	s->in = -1;
	rc = wait_gnuplot(s->pid, &s->status, deadline, err);
	outfile_unregister(s->slot);
	s->slot = -1;
	s->done = 1;
	return rc;
}

/*
 * Takes what gnuplot wrote on its output, up to the line "MARK n": 1 and
 * n in *gp_errno when that line came, 0 when more is to come, -1 when
 * gnuplot closed its output. Anything else it wrote (a PNG whose file it
 * could not open goes there) is passed over.
 */
static int take_output(struct chart_session *s, int *gp_errno)
{
	char buf[4096];
	ssize_t n, i;

	while ((n = read(s->out, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (s->nline < sizeof(s->line) - 1)
					s->line[s->nline++] = buf[i];
				continue;
			}
			s->line[s->nline] = '\0';
			s->nline = 0;
			if (!strncmp(s->line, MARK " ", strlen(MARK) + 1)) {
				/* the mark is the last thing a chart's script makes gnuplot write */
				*gp_errno = atoi(s->line + strlen(MARK) + 1);
				return 1;
			}
		}
	}
	return n == 0 || (errno != EAGAIN && errno != EINTR) ? -1 : 0;
}

/*
 * Writes the script while taking gnuplot's output (so neither waits for
 * the other), up to the mark: 0 and gnuplot's error number, 1 when
 * gnuplot ended or stopped reading first, -1 at the deadline.
 */
static int exchange(struct chart_session *s, const char *script, size_t len, double deadline,
		    int *gp_errno)
{
	size_t off = 0;

	for (;;) {
		struct pollfd p[2] = { { .fd = s->out, .events = POLLIN },
				       { .fd = s->in, .events = POLLOUT } };
		int wait_ms = (int)((deadline - now_seconds()) * 1000), got;

		if (wait_ms <= 0)
			return -1;
		if (poll(p, off < len ? 2 : 1, wait_ms) < 0 && errno != EINTR)
			return 1;
		if (off < len && p[1].revents) {
			ssize_t n = write(s->in, script + off, len - off);

			if (n < 0 && errno != EINTR && errno != EAGAIN)
				return 1;
			off += n > 0 ? (size_t)n : 0;
		}
		got = p[0].revents ? take_output(s, gp_errno) : 0;
		if (got != 0)
			return got > 0 && off == len ? 0 : 1;
	}
}

/* The script of one chart, as gnuplot of its own would have drawn it. */
static char *session_script(const struct chart *c, const char *png_path, size_t *len)
{
	char *script = NULL;
	FILE *out = open_memstream(&script, len);
	int rc;

	if (!out)
		return NULL;
	/* nothing of the chart before: every setting back to its default */
	fputs("reset\nreset errors\nset print '-'\n", out);
	rc = chart_script(out, c, png_path);
	/* on a line of its own, whatever gnuplot wrote before it */
	fputs("print sprintf(\"\\n" MARK " %d\", GPVAL_ERRNO)\n", out);
	if (fclose(out) != 0 || rc < 0) {
		free(script);
		return NULL;
	}
	return script;
}

/* Sends the script and waits for its mark: 0, -1 with err, -2 gnuplot's failure. */
static int draw(struct chart_session *s, const char *script, size_t len, double deadline,
		pm_error *err)
{
	sigset_t pipe_set, old_set;
	int got, gp_errno = 0, rc;

	/* If gnuplot dies early, writing must fail with EPIPE, not kill us. */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
	got = exchange(s, script, len, deadline, &gp_errno);
	if (got == 1) {
		struct timespec zero = { 0, 0 };

		sigtimedwait(&pipe_set, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);
	if (got == 0)
		return gp_errno ? -2 : 0;
	/* gnuplot ended, or stopped answering: it is done either way */
	rc = reap(s, got < 0 ? now_seconds() : deadline, err);
	if (rc < 0)
		return -1;
	if (rc == 1 || got < 0)
		return pm_fail(err, "gnuplot did not finish within %.0f seconds and was stopped "
			       "(PMAUDIT_GNUPLOT_TIMEOUT sets the limit)", gnuplot_timeout());
	if (WIFEXITED(s->status) && WEXITSTATUS(s->status) == 127)
		return pm_fail(err, "cannot run gnuplot (install gnuplot-nox)");
	return -2;
}

int chart_session_render(struct chart_session *s, const struct chart *c, const char *png_path,
			 pm_error *err)
{
	char *script, msg[512];
	size_t len = 0;
	int rc;
	struct stat st;

	if (s->done) {
		/* it ended at an earlier chart: its last words then */
		last_line(s->errfd, msg, sizeof(msg));
		return pm_fail(err, "%s: gnuplot failed: %s", png_path, msg[0] ? msg : "no output");
	}
	script = session_script(c, png_path, &len);
	if (!script)
		return pm_fail(err, "%s: invalid chart (%d series)", png_path, c->nseries);
	/* this chart's messages only */
	if (ftruncate(s->errfd, 0) == 0)
		lseek(s->errfd, 0, SEEK_SET);
	unlink(png_path);
	rc = draw(s, script, len, now_seconds() + gnuplot_timeout(), err);
	free(script);
	if (rc == -2 || (rc == 0 && (stat(png_path, &st) < 0 || st.st_size == 0))) {
		last_line(s->errfd, msg, sizeof(msg));
		rc = pm_fail(err, "%s: gnuplot failed: %s", png_path, msg[0] ? msg : "no output");
	}
	return rc;
}

void chart_session_end(struct chart_session *s)
{
	pm_error ignored;

	if (!s)
		return;
	/* its standard input closed, gnuplot ends; one that does not is killed */
	reap(s, now_seconds() + gnuplot_timeout(), &ignored);
	if (s->out >= 0)
		close(s->out);
	close(s->errfd);
	free(s);
}

int chart_render(const struct chart *c, const char *png_path, pm_error *err)
{
	struct chart_session *s;
	int rc;

	if (chart_session_start(&s, err) < 0)
		return -1;
	rc = chart_session_render(s, c, png_path, err);
	chart_session_end(s);
	return rc;
}
