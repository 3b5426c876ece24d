/*
 * The four logs of the input contract: tables, fields, aliases, types (etl/kinds.h).
 */
#include <string.h>
#include "etl/kinds.h"

/* The tables of DATA.md, one line per field. */

static const struct pm_field TICKET_FIELDS[] = {
	{ "ticket_id",     { "工单号", "工单编号", "报修单号" }, PM_TEXT, 1, 0 },
	{ "site",          { "项目", "小区", "管理处", "项目名称" }, PM_TEXT, 1, 0 },
	{ "room",          { "房号", "房屋", "住址" }, PM_TEXT, 0, 0 },
	{ "category",      { "报修类别", "维修类别", "类别" }, PM_TEXT, 1, 0 },
	{ "urgent",        { "是否紧急", "紧急" }, PM_BOOL, 0, 0 },
	{ "paid",          { "是否有偿", "有偿" }, PM_BOOL, 0, 0 },
	{ "charge",        { "收费金额", "维修费用" }, PM_MONEY, 0, 0 },
	{ "reported_at",   { "报修时间", "受理时间" }, PM_TIMESTAMP, 1, 0 },
	{ "dispatched_at", { "派单时间" }, PM_TIMESTAMP, 0, 0 },
	{ "arrived_at",    { "到场时间", "上门时间" }, PM_TIMESTAMP, 0, 0 },
	{ "completed_at",  { "完工时间", "完成时间" }, PM_TIMESTAMP, 0, 0 },
	{ "leak_test_at",  { "试漏时间" }, PM_TIMESTAMP, 0, 0 },
	{ "technician",    { "维修人员", "维修员" }, PM_TEXT, 0, 0 },
};

static const struct pm_field COMPLAINT_FIELDS[] = {
	{ "complaint_id",  { "投诉编号", "投诉单号" }, PM_TEXT, 1, 0 },
	{ "site",          { "项目", "小区", "管理处", "项目名称" }, PM_TEXT, 1, 0 },
	{ "room",          { "房号", "房屋", "住址" }, PM_TEXT, 0, 0 },
	{ "channel",       { "投诉方式", "渠道" }, PM_TEXT, 0, 0 },
	{ "level",         { "投诉等级", "等级", "级别" }, PM_LEVEL, 1, 0 },
	{ "category",      { "投诉类别", "类别" }, PM_TEXT, 0, 0 },
	{ "department",    { "涉及部门", "责任部门" }, PM_TEXT, 0, 0 },
	{ "received_at",   { "投诉时间", "受理时间" }, PM_TIMESTAMP, 1, 0 },
	{ "responded_at",  { "首次响应时间", "回应时间" }, PM_TIMESTAMP, 0, 0 },
	{ "escalated_at",  { "上报时间", "转呈时间" }, PM_TIMESTAMP, 0, 0 },
	{ "replied_at",    { "答复时间" }, PM_TIMESTAMP, 0, 0 },
	{ "resolved_at",   { "解决时间", "处理完毕时间" }, PM_TIMESTAMP, 0, 0 },
	{ "requested_by",  { "要求期限", "住户要求期限" }, PM_TIMESTAMP_EOD, 0, 0 },
	{ "valid",         { "是否有效", "有效投诉" }, PM_BOOL, 0, 1 },
	{ "summary",       { "内容摘要", "投诉内容" }, PM_TEXT, 0, 0 },
};

static const struct pm_field CALLBACK_FIELDS[] = {
	{ "callback_id",   { "回访编号", "回访单号" }, PM_TEXT, 1, 0 },
	{ "site",          { "项目", "小区", "管理处", "项目名称" }, PM_TEXT, 1, 0 },
	{ "ref_kind",      { "回访类型", "关联类型" }, PM_REF_KIND, 1, 0 },
	{ "ref_id",        { "关联单号", "关联编号" }, PM_TEXT, 1, 0 },
	{ "callback_at",   { "回访时间" }, PM_TIMESTAMP, 1, 0 },
	{ "method",        { "回访方式" }, PM_TEXT, 0, 0 },
	{ "staff",         { "回访人" }, PM_TEXT, 0, 0 },
	{ "role",          { "回访人岗位", "岗位" }, PM_TEXT, 0, 0 },
	{ "result",        { "回访结果", "满意度" }, PM_TEXT, 0, 0 },
	{ "problem_found", { "发现问题" }, PM_BOOL, 0, 0 },
};

static const struct pm_field FEE_FIELDS[] = {
	{ "entry_id",      { "流水号", "单据号" }, PM_TEXT, 1, 0 },
	{ "site",          { "项目", "小区", "管理处", "项目名称" }, PM_TEXT, 1, 0 },
	{ "room",          { "房号", "房屋" }, PM_TEXT, 1, 0 },
	{ "fee_item",      { "收费项目", "费用项目" }, PM_TEXT, 1, 0 },
	{ "period",        { "所属期间", "账期" }, PM_PERIOD, 1, 0 },
	{ "kind",          { "类型", "业务类型" }, PM_FEE_KIND, 1, 0 },
	{ "amount",        { "金额" }, PM_MONEY, 0, 0 },
	{ "at",            { "发生时间", "日期" }, PM_TIMESTAMP, 1, 0 },
	{ "due_date",      { "应缴日期", "缴费期限" }, PM_DATE, 0, 0 },
	{ "method",        { "方式" }, PM_TEXT, 0, 0 },
	{ "custody",       { "托管" }, PM_BOOL, 0, 0 },
};

/*
 * A fee statement (MAPPING.md, kind = fee-statement): one row per bill,
 * read with these fields and turned into fee ledger events (etl/statement.c).
 */
static const struct pm_field STATEMENT_FIELDS[] = {
	{ "bill_id",        { "单据号", "账单号", "账单编号" }, PM_TEXT, 1, 0 },
	{ "site",           { "项目", "小区", "管理处", "项目名称" }, PM_TEXT, 1, 0 },
	{ "room",           { "房号", "房屋" }, PM_TEXT, 1, 0 },
	{ "fee_item",       { "收费项目", "费用项目" }, PM_TEXT, 1, 0 },
	{ "period",         { "所属期间", "账期" }, PM_PERIOD, 1, 0 },
	{ "due_amount",     { "应收金额", "应收" }, PM_MONEY, 1, 0 },
	{ "waived_amount",  { "减免金额", "减免" }, PM_MONEY, 0, 0 },
	{ "paid_amount",    { "实收金额", "实收" }, PM_MONEY, 0, 0 },
	{ "paid_at",        { "缴费日期", "缴费时间", "收款日期" }, PM_TIMESTAMP, 0, 0 },
	{ "billed_at",      { "账单日期", "计费日期" }, PM_TIMESTAMP, 0, 0 },
	{ "due_date",       { "应缴日期", "缴费期限" }, PM_DATE, 0, 0 },
	{ "arrears_amount", { "欠费金额", "欠费" }, PM_MONEY, 0, 0 },
	{ "custody",        { "托管" }, PM_BOOL, 0, 0 },
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

const struct pm_kind PM_KINDS[PM_NKINDS] = {
	{ "tickets",    TICKET_FIELDS,    COUNT(TICKET_FIELDS),    0 },
	{ "complaints", COMPLAINT_FIELDS, COUNT(COMPLAINT_FIELDS), 0 },
	{ "callbacks",  CALLBACK_FIELDS,  COUNT(CALLBACK_FIELDS),  0 },
	{ "fees",       FEE_FIELDS,       COUNT(FEE_FIELDS),       0 },
};

static const struct pm_kind STATEMENT_KIND = {
	"fee-statement", STATEMENT_FIELDS, COUNT(STATEMENT_FIELDS), 0
};

const struct pm_kind *kind_get(int id)
{
	return id == PM_FEE_STATEMENT ? &STATEMENT_KIND : &PM_KINDS[id];
}

int kind_by_name(const char *name)
{
	int i;

	for (i = 0; i < PM_NKINDS; i++)
		if (!strcmp(PM_KINDS[i].name, name))
			return i;
	if (!strcmp(name, STATEMENT_KIND.name))
		return PM_FEE_STATEMENT;
	return -1;
}

int kind_field_index(const struct pm_kind *kind, const char *name)
{
	int i;

	for (i = 0; i < kind->nfields; i++)
		if (!strcmp(kind->fields[i].name, name))
			return i;
	return -1;
}
