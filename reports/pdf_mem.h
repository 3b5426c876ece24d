#ifndef PM_PDF_MEM_H
#define PM_PDF_MEM_H

#include <hpdf.h>

/*
 * libharu's memory (reports/pdf.c's own helper, not a public header of
 * reports/): HPDF_NewEx()'s allocation functions.
 *
 * A page's content is a memory stream of 4 KB blocks, one malloc() each:
 * a 3,000-page checklist takes 11,500 of them, and the footers' streams
 * 3,000 more. In the inspection's profile those mallocs were a seventh of
 * the layout's thread (glibc's large-request path sorting the bins the
 * heap's many small frees left, and a page fault per fresh block). Here
 * the 4 KB blocks are cut one after the other from one region mapped in
 * huge pages (util/bigmem.h) and recycled on a free list when libharu
 * frees them (the deflated pages' blocks, pdf_deflate.c); other sizes go
 * to malloc(). Per thread: a document is laid out on one thread; the
 * region is unmapped when the thread's last document is freed.
 */

void *pdf_mem_alloc(HPDF_UINT size);
void pdf_mem_free(void *p);
/* A document using these is opened (pdf_new()) / was freed (after HPDF_Free()). */
void pdf_mem_open(void);
void pdf_mem_close(void);

#endif
