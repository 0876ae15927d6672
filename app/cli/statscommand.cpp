// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `stats [--since DURATION]`: the Monitoring view's figures (JobStore::monitoringFigures()) as
// a text report in sections, or one JSON object with every figure.
#include <QCommandLineParser>
#include <QJsonDocument>
#include <QRegularExpression>

#include "app/cli/cli.h"
#include "app/cli/clioutput.h"
#include "app/cli/jobview.h"
#include "core/monitoring/figures.h"
#include "core/settings.h"
#include "core/store/jobstore.h"

namespace brieflow::cli {

namespace {

constexpr qint64 minuteMs = 60'000;
constexpr qint64 dayMs = 24 * 60 * minuteMs;
constexpr qint64 longestMs = 3650 * dayMs; ///< ten years: longer than that is "all"

/** A parsed --since: everything, or the last @c ms milliseconds. */
struct Since {
    bool all = false;
    qint64 ms = 0;
    QString text; ///< as given, normalised ("24h", "all")
};

/** "30m", "24h", "7d", "2w" or "all"; nullopt (and @p why) for anything else. */
std::optional<Since> parseSince(const QString &given, QString *why)
{
    const QString text = given.trimmed().toLower();
    if (text == QLatin1String("all"))
        return Since{true, 0, text};
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,7})\\s*([mhdw])$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch()) {
        *why = QStringLiteral("--since needs a duration such as 30m, 24h, 7d or 2w (minutes, "
                              "hours, days, weeks), or \"all\"; not \"%1\"")
                   .arg(given);
        return std::nullopt;
    }
    const qint64 count = match.captured(1).toLongLong();
    const QChar unit = match.captured(2).at(0);
    const qint64 unitMs = unit == QLatin1Char('m')   ? minuteMs
                          : unit == QLatin1Char('h') ? 60 * minuteMs
                          : unit == QLatin1Char('d') ? dayMs
                                                     : 7 * dayMs;
    if (count == 0) {
        *why = QStringLiteral("--since needs a duration above zero, not \"%1\"").arg(given);
        return std::nullopt;
    }
    if (count > longestMs / unitMs) {
        *why = QStringLiteral("--since %1 reaches back more than ten years; use --since all")
                   .arg(given);
        return std::nullopt;
    }
    return Since{false, count * unitMs, QString::number(count) + unit};
}

QString iso(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QJsonValue isoOrNull(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(iso(time)) : QJsonValue(QJsonValue::Null);
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue numberOrNull(std::optional<double> value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonObject durationStatJson(const DurationStat &stat)
{
    if (stat.samples == 0)
        return {{QStringLiteral("samples"), 0},
                {QStringLiteral("p50_ms"), QJsonValue::Null},
                {QStringLiteral("p95_ms"), QJsonValue::Null}};
    return {{QStringLiteral("samples"), stat.samples},
            {QStringLiteral("p50_ms"), double(stat.p50Ms)},
            {QStringLiteral("p95_ms"), double(stat.p95Ms)}};
}

/** What the report needs beyond MonitoringFigures. */
struct Report {
    Since since;
    MonitoringFigures figures;
    bool pricesFromSettings = false;
    QDateTime todayStart; ///< local midnight
    double spentTodayUsd = 0;
    double dailyBudgetUsd = 0; ///< 0: none
};

QJsonObject reportToJson(const Report &report)
{
    const MonitoringFigures &f = report.figures;
    QJsonObject root;

    root.insert(QStringLiteral("range"),
                QJsonObject{{QStringLiteral("since"), report.since.text},
                            {QStringLiteral("from"), isoOrNull(f.query.from)},
                            {QStringLiteral("to"), iso(f.query.to)},
                            {QStringLiteral("utc_offset_seconds"), f.query.utcOffsetSeconds}});

    QJsonObject prices = QJsonDocument::fromJson(f.query.prices.toJson()).object();
    prices.insert(QStringLiteral("source"), report.pricesFromSettings ? QStringLiteral("settings")
                                                                      : QStringLiteral("defaults"));
    root.insert(QStringLiteral("prices"), prices);

    const CompletionFigures &c = f.completion;
    root.insert(QStringLiteral("jobs"),
                QJsonObject{{QStringLiteral("created"), c.jobs},
                            {QStringLiteral("succeeded"), c.succeeded},
                            {QStringLiteral("failed"), c.failed},
                            {QStringLiteral("canceled"), c.canceled},
                            {QStringLiteral("needs_attention"), c.needsAttention},
                            {QStringLiteral("active"), c.active},
                            {QStringLiteral("completion_rate"), numberOrNull(c.rate())}});

    QJsonArray days;
    for (const DayFigures &d : f.days)
        days.append(QJsonObject{{QStringLiteral("day"), d.day.toString(Qt::ISODate)},
                                {QStringLiteral("created"), d.created},
                                {QStringLiteral("succeeded"), d.succeeded},
                                {QStringLiteral("failed"), d.failed},
                                {QStringLiteral("cost_usd"), d.costUsd}});
    root.insert(QStringLiteral("days"), days);

    QJsonArray failures;
    for (const FailureRow &r : f.failures)
        failures.append(QJsonObject{{QStringLiteral("step"), r.step},
                                    {QStringLiteral("error_type"), r.errorType},
                                    {QStringLiteral("model"), textOrNull(r.model)},
                                    {QStringLiteral("attempts"), r.attempts},
                                    {QStringLiteral("jobs"), r.jobs},
                                    {QStringLiteral("jobs_failed"), r.jobsFailed},
                                    {QStringLiteral("last"), isoOrNull(r.last)}});
    root.insert(QStringLiteral("failures"), failures);

    QJsonArray durations;
    for (const DurationRow &r : f.durations)
        durations.append(QJsonObject{{QStringLiteral("step"), r.step},
                                     {QStringLiteral("model"), textOrNull(r.model)},
                                     {QStringLiteral("queue"), durationStatJson(r.queue)},
                                     {QStringLiteral("starting"), durationStatJson(r.starting)},
                                     {QStringLiteral("running"), durationStatJson(r.running)},
                                     {QStringLiteral("total"), durationStatJson(r.total)}});
    root.insert(QStringLiteral("durations"), durations);

    root.insert(QStringLiteral("retries"),
                QJsonObject{{QStringLiteral("steps_retried"), f.retries.stepsRetried},
                            {QStringLiteral("retried_succeeded"), f.retries.retriedSucceeded},
                            {QStringLiteral("success_rate"), numberOrNull(f.retries.rate())}});

    const PredictionFigures &p = f.predictions;
    root.insert(QStringLiteral("predictions"),
                QJsonObject{{QStringLiteral("intents"), p.intents},
                            {QStringLiteral("created"), p.created},
                            {QStringLiteral("succeeded"), p.succeeded},
                            {QStringLiteral("failed"), p.failed},
                            {QStringLiteral("canceled"), p.canceled},
                            {QStringLiteral("in_flight"), p.inFlight}});
    root.insert(QStringLiteral("jobs_recovered"), f.jobsRecovered);
    root.insert(QStringLiteral("stuck_now"), f.stuckNow);

    const WebhookFigures &w = f.webhooks;
    QJsonArray rejectedBy;
    for (const WebhookFigures::Reason &r : w.rejectedBy)
        rejectedBy.append(
            QJsonObject{{QStringLiteral("reason"), r.reason}, {QStringLiteral("count"), r.count}});
    root.insert(QStringLiteral("webhooks"),
                QJsonObject{{QStringLiteral("received"), w.received},
                            {QStringLiteral("verified"), w.verified},
                            {QStringLiteral("duplicates"), w.duplicates},
                            {QStringLiteral("late"), w.late},
                            {QStringLiteral("rejected"), w.rejected},
                            {QStringLiteral("rejected_by"), rejectedBy},
                            {QStringLiteral("dropped_then_polled"), w.droppedThenPolled}});

    root.insert(QStringLiteral("outputs"),
                QJsonObject{{QStringLiteral("validation_failures"), f.outputs.validationFailures},
                            {QStringLiteral("missing"), f.outputs.missing},
                            {QStringLiteral("expired"), f.outputs.expired}});

    const CostFigures &cost = f.cost;
    QJsonArray perDay;
    for (const DayFigures &d : f.days)
        perDay.append(QJsonObject{{QStringLiteral("day"), d.day.toString(Qt::ISODate)},
                                  {QStringLiteral("usd"), d.costUsd}});
    QJsonArray topJobs;
    for (const CostFigures::JobCost &j : cost.topJobs)
        topJobs.append(QJsonObject{{QStringLiteral("id"), j.job.toString()},
                                   {QStringLiteral("product"), j.product},
                                   {QStringLiteral("usd"), j.usd}});
    QJsonArray topBriefs;
    for (const CostFigures::BriefCost &b : cost.topBriefs)
        topBriefs.append(QJsonObject{{QStringLiteral("product"), b.product},
                                     {QStringLiteral("audience"), b.audience},
                                     {QStringLiteral("jobs"), b.jobs},
                                     {QStringLiteral("usd"), b.usd}});
    root.insert(QStringLiteral("cost"),
                QJsonObject{
                    {QStringLiteral("total_usd"), cost.totalUsd},
                    {QStringLiteral("predict_seconds"), cost.predictSeconds},
                    {QStringLiteral("priced_calls"), cost.pricedCalls},
                    {QStringLiteral("unpriced_calls"), cost.unpricedCalls},
                    {QStringLiteral("jobs_with_cost"), cost.jobsWithCost},
                    {QStringLiteral("per_job_usd"), numberOrNull(cost.perJobUsd())},
                    {QStringLiteral("per_day"), perDay},
                    {QStringLiteral("top_jobs"), topJobs},
                    {QStringLiteral("top_briefs"), topBriefs},
                    {QStringLiteral("today"),
                     QJsonObject{{QStringLiteral("since"), iso(report.todayStart)},
                                 {QStringLiteral("spent_usd"), report.spentTodayUsd},
                                 {QStringLiteral("daily_budget_usd"),
                                  report.dailyBudgetUsd > 0 ? QJsonValue(report.dailyBudgetUsd)
                                                            : QJsonValue(QJsonValue::Null)}}},
                });
    return root;
}

// --- text -------------------------------------------------------------------------------------

/** "1 job" / "3 jobs": two wordings, never "(s)". */
QString count(qint64 n, const char *one, const char *many)
{
    return n == 1 ? QStringLiteral("1 %1").arg(QLatin1String(one))
                  : QStringLiteral("%1 %2").arg(n).arg(QLatin1String(many));
}

QString percent(std::optional<double> rate)
{
    return rate ? QStringLiteral("%1 %").arg(*rate * 100.0, 0, 'f', 1) : QStringLiteral("—");
}

/** "850 ms", "4.2 s", "3 min 5 s", "1 h 20 min". */
QString formatMs(qint64 ms)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60'000)
        return QStringLiteral("%1 s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 1);
    const qint64 seconds = (ms + 500) / 1000;
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    const qint64 minutes = (seconds + 30) / 60;
    return QStringLiteral("%1 h %2 min").arg(minutes / 60).arg(minutes % 60);
}

QString statText(const DurationStat &stat)
{
    if (stat.samples == 0)
        return QStringLiteral("—");
    return formatMs(stat.p50Ms) + QStringLiteral(" / ") + formatMs(stat.p95Ms);
}

/** Rows of text in aligned columns; numeric columns are right-aligned. */
class Table {
public:
    Table(QStringList header, QList<bool> rightAligned)
        : m_header(std::move(header))
        , m_right(std::move(rightAligned))
    {}
    void add(QStringList row) { m_rows << std::move(row); }
    bool isEmpty() const { return m_rows.isEmpty(); }
    void print(int indent = 2) const
    {
        QList<qsizetype> widths(m_header.size(), 0);
        for (qsizetype c = 0; c < m_header.size(); ++c)
            widths[c] = m_header.at(c).size();
        for (const QStringList &row : m_rows) {
            for (qsizetype c = 0; c < row.size() && c < widths.size(); ++c)
                widths[c] = std::max(widths[c], row.at(c).size());
        }
        const auto line = [&](const QStringList &cells) {
            QString text(indent, QLatin1Char(' '));
            for (qsizetype c = 0; c < cells.size(); ++c) {
                const bool last = c + 1 == cells.size();
                const int width = static_cast<int>(widths.value(c));
                if (m_right.value(c))
                    text += cells.at(c).rightJustified(width);
                else
                    text += last ? cells.at(c) : cells.at(c).leftJustified(width);
                if (!last)
                    text += QStringLiteral("  ");
            }
            out(text);
        };
        line(m_header);
        for (const QStringList &row : m_rows)
            line(row);
    }

private:
    QStringList m_header;
    QList<bool> m_right;
    QList<QStringList> m_rows;
};

/** Label/value lines with the values lined up. */
void printPairs(const QList<std::pair<QString, QString>> &pairs, int indent = 2)
{
    qsizetype width = 0;
    for (const auto &[label, value] : pairs)
        width = std::max(width, label.size());
    for (const auto &[label, value] : pairs)
        out(QString(indent, QLatin1Char(' ')) + label.leftJustified(width) + QStringLiteral("  ")
            + value);
}

void section(const QString &title)
{
    out(QString());
    out(title);
}

void none()
{
    out(QStringLiteral("  none"));
}

void printReport(const Report &report)
{
    const MonitoringFigures &f = report.figures;
    const QString range =
        report.since.all
            ? QStringLiteral("everything until %1").arg(formatTime(f.query.to))
            : QStringLiteral("last %1 (%2 → %3)")
                  .arg(report.since.text, formatTime(f.query.from), formatTime(f.query.to));
    out(QStringLiteral("Brieflow stats: %1").arg(range));

    const CompletionFigures &c = f.completion;
    section(QStringLiteral("Jobs"));
    if (c.jobs == 0) {
        out(QStringLiteral("  none created in this range"));
    } else {
        printPairs({
            {QStringLiteral("Completion rate"),
             c.rate() ? QStringLiteral("%1 (%2 succeeded of %3 that ended)")
                            .arg(percent(c.rate()))
                            .arg(c.succeeded)
                            .arg(c.succeeded + c.failed)
                      : QStringLiteral("— (none has ended)")},
            {QStringLiteral("Created"), QString::number(c.jobs)},
            {QStringLiteral("Succeeded"), QString::number(c.succeeded)},
            {QStringLiteral("Failed"), QString::number(c.failed)},
            {QStringLiteral("Canceled"), QString::number(c.canceled)},
            {QStringLiteral("Needs attention"), QString::number(c.needsAttention)},
            {QStringLiteral("Queued or running"), QString::number(c.active)},
        });
    }

    section(QStringLiteral("Failures by step, error type and model"));
    if (f.failures.isEmpty()) {
        none();
    } else {
        Table table({QStringLiteral("STEP"), QStringLiteral("ERROR TYPE"), QStringLiteral("MODEL"),
                     QStringLiteral("ATTEMPTS"), QStringLiteral("JOBS"),
                     QStringLiteral("FAILED NOW"), QStringLiteral("LAST")},
                    {false, false, false, true, true, true, false});
        for (const FailureRow &r : f.failures)
            table.add({r.step, r.errorType, r.model.isEmpty() ? QStringLiteral("—") : r.model,
                       QString::number(r.attempts), QString::number(r.jobs),
                       QString::number(r.jobsFailed), formatTime(r.last)});
        table.print();
    }

    section(QStringLiteral("Durations per step and model (median / p95)"));
    if (f.durations.isEmpty()) {
        none();
    } else {
        Table table({QStringLiteral("STEP"), QStringLiteral("MODEL"), QStringLiteral("RUNS"),
                     QStringLiteral("OUR QUEUE"), QStringLiteral("STARTING"),
                     QStringLiteral("RUNNING"), QStringLiteral("TOTAL")},
                    {false, false, true, true, true, true, true});
        for (const DurationRow &r : f.durations)
            table.add({r.step, r.model.isEmpty() ? QStringLiteral("—") : r.model,
                       QString::number(r.total.samples), statText(r.queue), statText(r.starting),
                       statText(r.running), statText(r.total)});
        table.print();
    }

    section(QStringLiteral("Retries"));
    if (f.retries.stepsRetried == 0) {
        none();
    } else {
        out(QStringLiteral("  %1 retried, %2 of them succeeded (%3)")
                .arg(count(f.retries.stepsRetried, "step", "steps"))
                .arg(f.retries.retriedSucceeded)
                .arg(percent(f.retries.rate())));
    }

    const PredictionFigures &p = f.predictions;
    section(QStringLiteral("Predictions"));
    if (p.intents == 0) {
        none();
    } else {
        printPairs({
            {QStringLiteral("Attempts"), QString::number(p.intents)},
            {QStringLiteral("Created at the provider"), QString::number(p.created)},
            {QStringLiteral("Succeeded"), QString::number(p.succeeded)},
            {QStringLiteral("Failed"), QString::number(p.failed)},
            {QStringLiteral("Canceled"), QString::number(p.canceled)},
            {QStringLiteral("In flight"), QString::number(p.inFlight)},
        });
    }

    section(QStringLiteral("Recovered after a restart"));
    if (f.jobsRecovered == 0)
        none();
    else
        out(QStringLiteral("  %1").arg(count(f.jobsRecovered, "job", "jobs")));

    section(QStringLiteral("Stuck now"));
    if (f.stuckNow == 0)
        none();
    else
        out(QStringLiteral("  %1 (see: brieflow-cli stuck)").arg(count(f.stuckNow, "job", "jobs")));

    const WebhookFigures &w = f.webhooks;
    section(QStringLiteral("Webhooks"));
    if (w.received == 0 && w.droppedThenPolled == 0) {
        none();
    } else {
        QList<std::pair<QString, QString>> pairs{
            {QStringLiteral("Received"), QString::number(w.received)},
            {QStringLiteral("Verified"), QString::number(w.verified)},
            {QStringLiteral("Duplicates"), QString::number(w.duplicates)},
            {QStringLiteral("Late"), QString::number(w.late)},
            {QStringLiteral("Rejected"), QString::number(w.rejected)},
        };
        for (const WebhookFigures::Reason &r : w.rejectedBy)
            pairs.append({QStringLiteral("  ") + r.reason, QString::number(r.count)});
        pairs.append({QStringLiteral("Dropped, then seen by polling"),
                      QString::number(w.droppedThenPolled)});
        printPairs(pairs);
    }

    const OutputFigures &o = f.outputs;
    section(QStringLiteral("Outputs"));
    if (o.validationFailures == 0 && o.missing == 0 && o.expired == 0) {
        none();
    } else {
        printPairs({
            {QStringLiteral("Failed validation"), QString::number(o.validationFailures)},
            {QStringLiteral("Missing"), QString::number(o.missing)},
            {QStringLiteral("Expired before download"), QString::number(o.expired)},
        });
    }

    const CostFigures &cost = f.cost;
    section(
        QStringLiteral("Cost (%1 prices)")
            .arg(report.pricesFromSettings ? QStringLiteral("your") : QStringLiteral("default")));
    QList<std::pair<QString, QString>> totals{
        {QStringLiteral("Total"),
         QStringLiteral("%1 for %2 of predict time, %3")
             .arg(formatUsd(cost.totalUsd), formatMs(qint64(cost.predictSeconds * 1000.0)),
                  count(cost.pricedCalls, "priced call", "priced calls"))},
    };
    if (cost.perJobUsd())
        totals.append(
            {QStringLiteral("Per job"),
             QStringLiteral("%1 on average over %2")
                 .arg(formatUsd(*cost.perJobUsd()), count(cost.jobsWithCost, "job", "jobs"))});
    if (cost.unpricedCalls > 0)
        totals.append(
            {QStringLiteral("Unpriced"), QStringLiteral("%1 without a predict time (not counted)")
                                             .arg(count(cost.unpricedCalls, "call", "calls"))});
    totals.append(
        {QStringLiteral("Today"),
         report.dailyBudgetUsd > 0
             ? QStringLiteral("%1 of the %2 daily budget (%3)")
                   .arg(formatUsd(report.spentTodayUsd), formatUsd(report.dailyBudgetUsd),
                        percent(report.spentTodayUsd / report.dailyBudgetUsd))
             : QStringLiteral("%1 (no daily budget set)").arg(formatUsd(report.spentTodayUsd))});
    printPairs(totals);

    if (!f.days.isEmpty()) {
        out(QString());
        Table table({QStringLiteral("DAY"), QStringLiteral("JOBS"), QStringLiteral("SUCCEEDED"),
                     QStringLiteral("FAILED"), QStringLiteral("COST")},
                    {false, true, true, true, true});
        for (const DayFigures &d : f.days)
            table.add({d.day.toString(Qt::ISODate), QString::number(d.created),
                       QString::number(d.succeeded), QString::number(d.failed),
                       formatUsd(d.costUsd)});
        table.print();
    }
    if (!cost.topBriefs.isEmpty()) {
        out(QString());
        Table table({QStringLiteral("BRIEF"), QStringLiteral("AUDIENCE"), QStringLiteral("JOBS"),
                     QStringLiteral("COST")},
                    {false, false, true, true});
        for (const CostFigures::BriefCost &b : cost.topBriefs) {
            QString audience = b.audience.simplified();
            if (audience.size() > 40)
                audience = audience.left(39) + QStringLiteral("…");
            table.add({b.product, audience, QString::number(b.jobs), formatUsd(b.usd)});
        }
        table.print();
    }
    if (!cost.topJobs.isEmpty()) {
        out(QString());
        Table table(
            {QStringLiteral("COSTLIEST JOBS"), QStringLiteral("PRODUCT"), QStringLiteral("COST")},
            {false, false, true});
        for (const CostFigures::JobCost &j : cost.topJobs)
            table.add({j.job.toString(), j.product, formatUsd(j.usd)});
        table.print();
    }
}

} // namespace

int statsCommand(const Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The Monitoring view's figures: completion, failures by step, error type and model, "
        "durations (median and p95 of our queue, the provider's start-up, running and total), "
        "retries, predictions, restarts, stuck jobs, webhooks, outputs and cost."));
    const QCommandLineOption since(
        QStringLiteral("since"),
        QStringLiteral("The range: the last DURATION, such as 30m, 24h, 7d or 2w (default 24h), "
                       "or \"all\"."),
        QStringLiteral("DURATION"), QStringLiteral("24h"));
    parser.addOption(since);
    if (auto code = parseCommand(parser, arguments,
                                 QStringLiteral("brieflow-cli stats [--since DURATION] [--json]")))
        return *code;
    if (parser.positionalArguments().size() > 1)
        return fail(UsageOrInvalid, QStringLiteral("stats takes no file or job id"));

    Report report;
    QString why;
    const auto parsed = parseSince(parser.value(since), &why);
    if (!parsed)
        return fail(UsageOrInvalid, why);
    report.since = *parsed;

    const Settings settings(context.paths.settingsFile());
    MonitoringQuery query;
    query.to = QDateTime::currentDateTimeUtc();
    query.from = report.since.all ? QDateTime::fromMSecsSinceEpoch(0, Qt::UTC)
                                  : query.to.addMSecs(-report.since.ms);
    query.utcOffsetSeconds = query.to.toLocalTime().offsetFromUtc();
    query.prices = priceTableOf(settings, &report.pricesFromSettings);
    report.todayStart = QDate::currentDate().startOfDay();
    report.dailyBudgetUsd = std::max(0.0, settings.value(Settings::DailyBudgetUsd));

    int code = Success;
    auto store = openForReading(context, &code);
    if (code != Success)
        return code;
    if (store) {
        auto figures = readMonitoringFigures(store->fileName(), query);
        if (!figures)
            return fail(DataUnavailable, figures.error().message);
        report.figures = std::move(figures).value();
        auto spent = store->spendSince(report.todayStart, query.prices);
        if (!spent)
            return fail(DataUnavailable, spent.error().message);
        report.spentTodayUsd = spent.value();
    }
    // The range as asked (a data folder without a database has no figures, only the range).
    report.figures.query = query;

    if (context.json)
        outJson(reportToJson(report));
    else
        printReport(report);
    return Success;
}

} // namespace brieflow::cli
