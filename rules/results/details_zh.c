/*
 * The findings' details in Chinese (rules/results/results.h): the phrases
 * the engine writes (rules/findings/findings.c, rules/findings/find_repeat.c,
 * rules/records/eval_missing.c, rules/fees/fees.c) and the field names they
 * quote. A writer that changes a phrase changes it here too:
 * tests/e2e/t_report_chinese.sh fails on English left in a Chinese report.
 */
#include "rules/results/results.h"
#include "util/phrases.h"

/*
 * "%s" is a hole (util/phrases.h); a hole that is exactly one of the words
 * at the end (a field, a record kind) is translated too. The field names'
 * Chinese are the first header names of DATA.md (etl/kinds.c).
 */
static const struct phrase PHRASES[] = {
	/* Q-ORPHAN */
	{ "%s %s is unknown", "%s %s 不存在" },
	/* Q-ORDER: an event before the record's start; a callback before it */
	{ "callback_at before its %s %s began", "回访时间早于%s %s 的开始时间" },
	{ "%s before %s", "%s早于%s" },
	/* Q-PROBLEM-OPEN */
	{ "%s %s: problem found, no later callback", "%s %s：回访发现问题，其后没有再回访" },
	/* Q-MISSING-START, after "RULE-ID: " */
	{ "no %s (nor the fallbacks), but the end event is recorded",
	  "没有%s（备选字段也没有），却已记录结束事件" },
	{ "no %s (nor the fallbacks), but a callback is recorded",
	  "没有%s（备选字段也没有），却已有回访" },
	{ "no %s, but the end event is recorded", "没有%s，却已记录结束事件" },
	{ "no %s, but a callback is recorded", "没有%s，却已有回访" },
	/* R-REPEAT: "ROOM CATEGORY: N tickets within D days" */
	{ "%s: %s tickets within %s days", "%s：报修 %s 次（%s 天内）" },
	{ "%s: %s complaints within %s days", "%s：投诉 %s 次（%s 天内）" },
	/* F-LETTER */
	{ "no phone or SMS reminder yet", "尚未电话或短信催缴" },
	/* words in the holes */
	{ "ticket", "报修工单" },
	{ "complaint", "投诉" },
	{ "reported_at", "报修时间" },
	{ "dispatched_at", "派单时间" },
	{ "arrived_at", "到场时间" },
	{ "completed_at", "完工时间" },
	{ "leak_test_at", "试漏时间" },
	{ "received_at", "投诉时间" },
	{ "responded_at", "首次响应时间" },
	{ "escalated_at", "上报时间" },
	{ "replied_at", "答复时间" },
	{ "resolved_at", "解决时间" },
	{ "callback_at", "回访时间" },
};

void results_detail_zh(const char *detail, char *out, size_t size)
{
	phrases_translate(PHRASES, sizeof(PHRASES) / sizeof(PHRASES[0]), detail, out, size);
}
