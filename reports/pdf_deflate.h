#ifndef PM_PDF_DEFLATE_H
#define PM_PDF_DEFLATE_H

#include <hpdf.h>

/*
 * The pages' content streams deflated on a second thread while the layout
 * goes on (reports/pdf.c's own helper, not a public header of reports/).
 *
 * libharu deflates every stream when it saves, on the thread that saves:
 * for the inspection's 3,000-page checklist that is 47 MB of content and
 * half a second after the layout, on the critical path. A page whose
 * drawing is done (the layout has moved to the next page) is handed over
 * here; its stream is deflated beside the layout, and at save time the
 * deflated bytes replace the stream (at the next page handed over, or at
 * save), written as they are under
 * /Filter [/FlateDecode] (libharu's filter; zlib's level 2, pdf_deflate.c).
 * Streams not handed over are deflated by libharu as before.
 *
 * The thread reads a handed-over stream only: the layout never draws on a
 * page again once it is handed over (the footers go into a content stream
 * of their own, pdf_deflate_new_stream()). Without a thread (one
 * core, PMAUDIT_THREADS=1, or it cannot start) pdf_deflate_finish()
 * deflates them on the calling thread: the same bytes either way.
 */
struct pdf_deflate;

/*
 * NULL when out of memory: libharu then deflates everything itself. The
 * thread starts with the first page handed over.
 */
struct pdf_deflate *pdf_deflate_new(void);
/* No thread: pdf_deflate_finish() deflates them all (PMAUDIT_THREADS=1). */
void pdf_deflate_one_thread(struct pdf_deflate *d);
/* Hands over a page's finished content stream (HPDF_Page's current contents). */
void pdf_deflate_page(struct pdf_deflate *d, HPDF_Page page);
/*
 * A new content stream on a page (HPDF_Page_New_Content_Stream()),
 * deflated by libharu at save whether or not the page's first stream has
 * been replaced already: the same bytes either way.
 */
void pdf_deflate_new_stream(HPDF_Page page);
/*
 * Waits for the thread, deflates what is left and puts the deflated bytes
 * in place of the handed-over streams; before HPDF_SaveToFile().
 */
void pdf_deflate_finish(struct pdf_deflate *d);
/* Stops the thread (if running) and frees what is left; NULL is fine. */
void pdf_deflate_free(struct pdf_deflate *d);

#endif
