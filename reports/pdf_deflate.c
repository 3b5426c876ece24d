/*
 * The pages' content streams deflated beside the layout (pdf_deflate.h).
 * libharu's records are read through its installed headers
 * (hpdf_objects.h, hpdf_pages.h, hpdf_streams.h): the page's current
 * content stream, the memory stream's blocks, and the stream dictionary's
 * filter and write hook.
 */
#include <hpdf.h>
#include <hpdf_conf.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "reports/pdf_deflate.h"
#include "util/outfile.h"

struct deflated {
	HPDF_Dict contents;             /* the page's content stream */
	unsigned char *bytes;           /* deflated; NULL: not (yet) */
	size_t len;
	int placed;                     /* the bytes are in place (put_deflated()) */
};

struct pdf_deflate {
	pthread_mutex_t lock;
	pthread_cond_t more;            /* a stream handed over, or closing */
	pthread_t thread;
	int started;
	int one_thread;                 /* 1: never start it */
	int closing;                    /* 1: no more streams; 2: drop the rest */
	struct deflated *streams;
	int n, cap;
	int next;                       /* the first one the thread has not taken */
	int deflated;                   /* the streams before it are done (or failed) */
	int placed;                     /* the streams before it are looked at (place_done()) */
	/*
	 * One deflate state for all the streams, reset between them: zlib's
	 * state is 270 KB, and allocating and freeing it for each of 3,000
	 * pages kept the deflating thread's heap busy. Used by the thread
	 * until it is joined, then by pdf_deflate_finish().
	 */
	z_stream z;
	int z_ready;
};

/*
 * zlib's level 2, not libharu's default (6): a 3,000-page checklist's 46 MB
 * of page content deflate in 0.28 s instead of 0.58 s of CPU, to 8.5 MB
 * instead of 7.3 MB (its file 10% larger). Any level decodes the same.
 */
#define PAGE_LEVEL 2

/*
 * A memory stream's bytes deflated (PAGE_LEVEL); -1 when out of memory or
 * the stream is not what is expected.
 */
/* d's deflate state, fresh: made once, reset after (the same bytes as a new one). */
static z_stream *fresh_z(struct pdf_deflate *d)
{
	if (d->z_ready)
		return deflateReset(&d->z) == Z_OK ? &d->z : NULL;
	memset(&d->z, 0, sizeof(d->z));
	if (deflateInit(&d->z, PAGE_LEVEL) != Z_OK)
		return NULL;
	d->z_ready = 1;
	return &d->z;
}

static int deflate_stream(struct pdf_deflate *d, HPDF_Stream src, unsigned char **out,
			  size_t *out_len)
{
	HPDF_UINT count = HPDF_MemStream_GetBufCount(src), i, len;
	size_t total = 0, cap;
	unsigned char *buf;
	z_stream *z = fresh_z(d);
	int rc = Z_OK;

	if (!z)
		return -1;
	/* deflateBound() is for one call; a little more for the blocks' calls */
	cap = deflateBound(z, src->size) + 64 + count * 8;
	buf = malloc(cap);
	if (!buf)
		return -1;
	z->next_out = buf;
	z->avail_out = cap;
	for (i = 0; i < count && rc == Z_OK; i++) {
		HPDF_BYTE *block = HPDF_MemStream_GetBufPtr(src, i, &len);

		if (!block)
			break;
		z->next_in = block;
		z->avail_in = len;
		total += len;
		rc = deflate(z, i + 1 == count ? Z_FINISH : Z_NO_FLUSH);
	}
	if (count == 0)
		rc = deflate(z, Z_FINISH);
	*out_len = z->total_out;
	if (rc != Z_STREAM_END || total != src->size) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

static void *deflate_thread(void *arg)
{
	struct pdf_deflate *d = arg;

	pthread_mutex_lock(&d->lock);
	for (;;) {
		HPDF_Stream src;
		unsigned char *bytes = NULL;
		size_t len = 0;
		int i;

		while (d->next == d->n && !d->closing)
			pthread_cond_wait(&d->more, &d->lock);
		if (d->next == d->n || d->closing == 2)
			break;
		i = d->next++;
		src = d->streams[i].contents->stream;
		pthread_mutex_unlock(&d->lock);
		if (deflate_stream(d, src, &bytes, &len) < 0)
			bytes = NULL;
		pthread_mutex_lock(&d->lock);
		d->streams[i].bytes = bytes;
		d->streams[i].len = len;
		d->deflated = i + 1;
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

struct pdf_deflate *pdf_deflate_new(void)
{
	struct pdf_deflate *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->more, NULL);
	return d;
}

void pdf_deflate_one_thread(struct pdf_deflate *d)
{
	if (d)
		d->one_thread = 1;
}

/* The dictionary's filter, written by hand: libharu writes the bytes as they are. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
	(void)dict;
	return HPDF_Stream_WriteStr(out, "/Filter [/FlateDecode]\012");
}

/*
 * The deflated bytes in place of the stream's; left as it was on failure.
 * In libharu's usual 4 KB blocks, not one block of their size: those are
 * the blocks the finished pages give back (pdf_mem.h), where a block of
 * each page's own size was a malloc() on the layout's thread.
 */
static void put_deflated(struct deflated *s)
{
	HPDF_Dict dict = s->contents;
	HPDF_Stream z = HPDF_MemStream_New(dict->mmgr, HPDF_STREAM_BUF_SIZ);

	if (!z)
		return;
	if (s->len && HPDF_Stream_Write(z, s->bytes, s->len) != HPDF_OK) {
		HPDF_Stream_Free(z);
		return;
	}
	HPDF_Stream_Free(dict->stream);
	dict->stream = z;
	dict->filter = HPDF_STREAM_FILTER_NONE;
	dict->write_fn = write_flate_filter;
	s->placed = 1;
}

/*
 * The streams the thread has deflated, put in place now, on the layout's
 * thread (libharu's memory is not for two threads): the page content's
 * 4 KB blocks go back to the heap and the next pages reuse them, where
 * 46 MB of fresh blocks for a 3,000-page checklist cost the layout's
 * thread a page fault each 4 KB (0.3 s of its 1.6 s).
 */
static void place_done(struct pdf_deflate *d)
{
	int upto, i;

	pthread_mutex_lock(&d->lock);
	upto = d->deflated;
	pthread_mutex_unlock(&d->lock);
	for (i = d->placed; i < upto; i++) {
		struct deflated *s = &d->streams[i];

		/* as pdf_deflate_finish(): an empty page stays as libharu writes it */
		if (!s->bytes || !s->contents->stream->size)
			continue;
		put_deflated(s);
		free(s->bytes);
		s->bytes = NULL;
	}
	d->placed = upto;
}

/*
 * A new content stream on page, compressed as its first one was: libharu
 * copies the filter of the page's current stream, which put_deflated()
 * set to none -- and whether it has run by then depends on the thread.
 */
void pdf_deflate_new_stream(HPDF_Page page)
{
	HPDF_Dict cur = ((HPDF_PageAttr)page->attr)->contents;
	HPDF_UINT filter = cur->filter;

	if (cur->write_fn == write_flate_filter)
		cur->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	HPDF_Page_New_Content_Stream(page, NULL);
	cur->filter = filter;
}



void pdf_deflate_page(struct pdf_deflate *d, HPDF_Page page)
{
	HPDF_Dict contents;

	if (!d || !page)
		return;
	/* a document of one page (most of the tests') deflates it when saved, as before */
	if (!d->started && !d->one_thread && d->n > 0) {
		if (outfile_thread_create(&d->thread, deflate_thread, d) == 0)
			d->started = 1;
		else
			d->one_thread = 1;
	}
	if (d->started)
		place_done(d);
	contents = ((HPDF_PageAttr)page->attr)->contents;
	/* only what libharu would deflate, and only a memory stream */
	if (!contents || !contents->stream || contents->write_fn ||
	    !(contents->filter & HPDF_STREAM_FILTER_FLATE_DECODE) ||
	    contents->stream->type != HPDF_STREAM_MEMORY)
		return;
	pthread_mutex_lock(&d->lock);
	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 64;
		struct deflated *grown = realloc(d->streams, cap * sizeof(*grown));

		if (!grown) {
			/* not handed over: libharu deflates it when it saves */
			pthread_mutex_unlock(&d->lock);
			return;
		}
		d->streams = grown;
		d->cap = cap;
	}
	d->streams[d->n++] = (struct deflated){ contents, NULL, 0, 0 };
	pthread_cond_signal(&d->more);
	pthread_mutex_unlock(&d->lock);
}

static void stop_thread(struct pdf_deflate *d, int how)
{
	if (!d->started)
		return;
	pthread_mutex_lock(&d->lock);
	d->closing = how;
	pthread_cond_signal(&d->more);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	d->started = 0;
}

void pdf_deflate_finish(struct pdf_deflate *d)
{
	int i;

	if (!d)
		return;
	stop_thread(d, 1);
	for (i = 0; i < d->n; i++) {
		struct deflated *s = &d->streams[i];

		/* an empty page stays as libharu writes it (no bytes at all) */
		if (s->placed || !s->contents->stream->size)
			continue;
		if (!s->bytes && deflate_stream(d, s->contents->stream, &s->bytes, &s->len) < 0)
			continue;
		put_deflated(s);
		free(s->bytes);
		s->bytes = NULL;
	}
	d->n = d->next = d->deflated = d->placed = 0;
}

void pdf_deflate_free(struct pdf_deflate *d)
{
	int i;

	if (!d)
		return;
	stop_thread(d, 2);
	for (i = 0; i < d->n; i++)
		free(d->streams[i].bytes);
	free(d->streams);
	if (d->z_ready)
		deflateEnd(&d->z);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->more);
	free(d);
}
