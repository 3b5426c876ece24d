/*
 * Stored reject reasons in Chinese (db/reject_reason.h).
 */
#include "db/reject_reason.h"
#include "util/phrases.h"

/* The importer's phrases and their Chinese ("%s": a hole, util/phrases.h). */
static const struct phrase PHRASES[] = {
	/* etl/row.c: what a bad value is not */
	{ "not a valid timestamp", "不是有效的时间" },
	{ "not a valid date", "不是有效的日期" },
	{ "not a valid period", "不是有效的账期" },
	{ "not a valid amount", "不是有效的金额" },
	{ "not a yes/no value", "不是“是/否”值" },
	{ "unknown level", "未知的投诉等级" },
	{ "unknown callback type", "未知的回访类型" },
	{ "unknown entry type", "未知的台账类型" },
	{ "expected 重大, 重要, 一般 or 轻微", "应为 重大、重要、一般 或 轻微" },
	{ "expected 报修 or 投诉", "应为 报修 或 投诉" },
	{ "expected 应收, 实收, 减免 or 催缴", "应为 应收、实收、减免 或 催缴" },
	{ "internal error: unknown field type", "内部错误：未知的字段类型" },
	{ "NUL byte in the value", "值中含有 NUL 字节" },
	{ "bytes that are not valid in the file's encoding", "含有文件编码中无效的字节" },
	{ "required value is empty", "必填值为空" },
	{ "the header row again (were two files joined?)",
	  "再次出现表头行（是否把两个文件拼接在了一起？）" },
	{ "expected %s fields as in the header, found %s", "表头有 %s 列，此行有 %s 列" },
	{ "amount is required for a %s", "%s记录必须填写金额" },
	/* etl/statement.c: a fee statement's bill */
	{ "paid_amount %s without a payment date (paid_at)",
	  "paid_amount %s 没有付款日期 (paid_at)" },
	{ "arrears_amount %s is not due - waived - paid = %s",
	  "arrears_amount %s 不等于 应收 - 减免 - 实收 = %s" },
	/* etl/reader.c: the record itself */
	{ "more than 1024 fields", "超过 1024 列" },
	{ "record longer than 1 MiB", "记录超过 1 MiB" },
	{ "unterminated quoted field: a quote in this record is never closed, "
	  "so the rest of the file was read as part of it",
	  "引号未闭合：此记录中的引号没有结束，文件其余部分都被读成了这一记录" },
	/* etl/value.c: why a value is not what it should be */
	{ "expected a date such as 2026-10-03 (a date such as 10/03/2026 "
	  "needs date_order = mdy or dmy in a mapping file)",
	  "应为 2026-10-03 这样的日期（10/03/2026 这样的日期需要在映射文件中设置 "
	  "date_order = mdy 或 dmy）" },
	{ "expected a date such as %s", "应为 %s 这样的日期" },
	{ "expected a time such as %s", "应为 %s 这样的时刻" },
	{ "expected a period such as %s", "应为 %s 这样的账期" },
	{ "expected an amount such as %s", "应为 %s 这样的金额" },
	{ "expected a timezone such as %s", "应为 %s 这样的时区" },
	{ "expected digits after the decimal point", "小数点后应有数字" },
	{ "expected 是/否, Y/N, yes/no, true/false, 1/0, √/× or 有/无",
	  "应为 是/否、Y/N、yes/no、true/false、1/0、√/× 或 有/无" },
	{ "year out of range", "年份超出范围" },
	{ "month out of range", "月份超出范围" },
	{ "day out of range", "日超出范围" },
	{ "hour out of range for a 12-hour clock", "小时超出 12 小时制的范围" },
	{ "hour out of range", "小时超出范围" },
	{ "minute out of range", "分钟超出范围" },
	{ "second out of range", "秒超出范围" },
	{ "timezone out of range", "时区超出范围" },
	{ "unexpected text after the time", "时刻后面有多余的文字" },
	{ "unexpected text after the date", "日期后面有多余的文字" },
	{ "unexpected text after the period", "账期后面有多余的文字" },
	{ "a timezone without a time of day", "有时区而没有时刻" },
	{ "amount too large", "金额过大" },
	{ "misplaced thousands separator", "千位分隔符的位置不对" },
	{ "more than two decimals", "小数超过两位" },
	/*
	 * etl/import.c and etl/header.c: a file that fails as a whole (its
	 * header), stored in English like every reason; the command line shows
	 * the same texts through the catalogue (po/zh_CN.po), in the same words
	 */
	{ "empty file: no header row", "空文件：没有表头行" },
	{ "not a CSV text file (binary data in the header)", "不是 CSV 文本文件（表头中有二进制数据）" },
	{ "the header holds bytes that are not valid in the file's encoding",
	  "表头中有不符合文件编码的字节" },
	{ "the file ends before the header line the mapping file names (header = ...)",
	  "文件在映射文件指定的表头行（header = ...）之前就结束了" },
	{ "cannot tell which log this is: the header has none of ticket_id (工单号), "
	  "complaint_id (投诉编号), callback_id (回访编号), entry_id (流水号); name the log with --kind",
	  "无法判断这是哪种台账：表头中没有 ticket_id（工单号）、complaint_id（投诉编号）、"
	  "callback_id（回访编号）、entry_id（流水号）中的任何一个；请用 --kind 指定" },
	{ "cannot tell which log this is: the header fits several; name the log with --kind",
	  "无法判断这是哪种台账：表头与多种台账都相符；请用 --kind 指定" },
	{ "missing required column %s (%s)", "缺少必需的列 %s（%s）" },
	/* etl/header.c: a mapping file the header contradicts */
	{ "%s:%s: %s = %s: the file has no such column", "%s:%s：%s = %s：文件中没有这一列" },
	{ "%s:%s: constant %s: the file has a column for it too (column %s); remove one of them",
	  "%s:%s：常量 %s：文件中也有这一列（第 %s 列）；请删去其中之一" },
	{ "columns %s and %s both give field %s; keep one of them",
	  "第 %s 列和第 %s 列都对应字段 %s；请只保留一列" },
	{ "not a CSV text file: this looks like %s", "不是 CSV 文本文件：看起来是%s" },
	/* etl/sniff.c: what such a file seems to be (the hole above) */
	{ "a ZIP archive, e.g. an Excel .xlsx workbook: save it as CSV first",
	  "ZIP 压缩包，例如 Excel 的 .xlsx 工作簿：请先另存为 CSV" },
	{ "an Office document, e.g. an Excel .xls workbook: save it as CSV first",
	  "Office 文档，例如 Excel 的 .xls 工作簿：请先另存为 CSV" },
	{ "UTF-16 text (Excel's \"Unicode text\"): save it as \"CSV UTF-8\"",
	  "UTF-16 文本（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8”" },
	{ "UTF-16 text: save it as \"CSV UTF-8\"", "UTF-16 文本：请另存为“CSV UTF-8”" },
	{ "a PDF document", "PDF 文档" },
	{ "a PNG image", "PNG 图片" },
	{ "a JPEG image", "JPEG 图片" },
	{ "a GIF image", "GIF 图片" },
	{ "gzip-compressed data: unpack it first", "gzip 压缩数据：请先解压" },
	{ "a program (ELF)", "程序文件（ELF）" },
	{ "binary data", "二进制数据" },
	/* the fee entry kinds in "amount is required for a %s" */
	{ "charge", "应收" },
	{ "payment", "实收" },
	{ "waiver", "减免" },
};

void reject_reason_zh(const char *reason, char *out, size_t size)
{
	phrases_translate(PHRASES, sizeof(PHRASES) / sizeof(PHRASES[0]), reason, out, size);
}
