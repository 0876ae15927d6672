// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The Monitoring view's figures (see core/monitoring/figures.h for what each one means), the
// daily budget's spend, ETA history and webhook delivery records. SQLite dialect notes for a
// second dialect: json_each/json_extract (PostgreSQL: jsonb_array_elements_text/->>), the
// two-argument scalar min()/max() (LEAST/GREATEST), integer division for local days, and
// "+column" to keep a range test off an index (harmless elsewhere, but plans differ).
#include <algorithm>

#include <QJsonDocument>
#include <QJsonObject>

#include "core/store/callfigures_p.h"
#include "core/store/connection.h"
#include "core/store/rows.h"
#include "core/store/sqlhelpers.h"
#include "jobstore.h"

namespace brieflow {

using namespace db;

namespace {

constexpr qint64 dayMs = 86'400'000;

/** The range binds every figure uses. */
Binds rangeBinds(const MonitoringQuery &query)
{
    return {{QStringLiteral(":from"), query.from.toMSecsSinceEpoch()},
            {QStringLiteral(":to"), query.to.toMSecsSinceEpoch()}};
}

/** The price of call c's model as an SQL expression over @p prices (its binds added to
 *  @p binds): "CASE <model> WHEN :m0 THEN :p0 … ELSE :fallback END". A CASE, not a join: the
 *  figures read hundreds of thousands of calls, and a join costs a lookup each. */
QString priceOf(const PriceTable &prices, Binds &binds)
{
    binds.append({QStringLiteral(":price_fallback"), prices.fallbackPerSecond()});
    if (prices.entries().isEmpty())
        return QStringLiteral("(:price_fallback)"); // a CASE needs at least one WHEN
    QString sql =
        QStringLiteral("(CASE CASE WHEN instr(c.model_ref, ':') > 0 THEN substr(c.model_ref, 1, "
                       "instr(c.model_ref, ':') - 1) ELSE c.model_ref END");
    int i = 0;
    for (const PriceTable::Entry &entry : prices.entries()) {
        const QString model = QStringLiteral(":price_model_%1").arg(i);
        const QString usd = QStringLiteral(":price_usd_%1").arg(i);
        sql += QStringLiteral(" WHEN ") + model + QStringLiteral(" THEN ") + usd;
        binds.append({model, entry.model});
        binds.append({usd, entry.usdPerSecond});
        ++i;
    }
    return sql + QStringLiteral(" ELSE :price_fallback END)");
}

const QString productOf = QStringLiteral(
    "CASE WHEN json_valid(j.input_payload) THEN json_extract(j.input_payload, '$.product_name') "
    "END");

/** Error types that are not failures: the queue paused for the budget. */
const QString notFailures = QStringLiteral("('budget_reached')");

QDate localDay(qint64 dayNumber)
{
    return QDate(1970, 1, 1).addDays(dayNumber);
}

int asInt(const QVariant &v)
{
    return v.isNull() ? 0 : v.toInt();
}

/** Webhook deliveries received in the range: whole hours from webhook_delivery_hours, the
 *  partial hours at the range's ends from webhook_deliveries. */
Result<WebhookFigures, StoreError> webhookFigures(SqliteConnection &db,
                                                  const MonitoringQuery &query)
{
    constexpr qint64 hourMs = 3'600'000;
    const qint64 from = query.from.toMSecsSinceEpoch();
    const qint64 to = query.to.toMSecsSinceEpoch();
    // Whole hours [firstHour, endHour) lie inside the range.
    const qint64 firstHour = from <= 0 ? 0 : (from + hourMs - 1) / hourMs;
    const qint64 endHour = std::max(firstHour, to / hourMs);
    const auto rows = selectRows(
        db,
        QStringLiteral("SELECT outcome, reason, sum(n) FROM ("
                       "SELECT outcome, reason, deliveries AS n FROM webhook_delivery_hours "
                       "WHERE hour >= :first_hour AND hour < :end_hour UNION ALL "
                       "SELECT outcome, COALESCE(reason, ''), 1 FROM webhook_deliveries "
                       "WHERE received_at >= :from AND received_at < min(:to, :first_ms) UNION ALL "
                       "SELECT outcome, COALESCE(reason, ''), 1 FROM webhook_deliveries "
                       "WHERE received_at >= max(:from, :end_ms) AND received_at < :to) "
                       "GROUP BY 1, 2 ORDER BY 3 DESC, 2"),
        {{QStringLiteral(":first_hour"), firstHour},
         {QStringLiteral(":end_hour"), endHour},
         {QStringLiteral(":first_ms"), firstHour * hourMs},
         {QStringLiteral(":end_ms"), endHour * hourMs},
         {QStringLiteral(":from"), from},
         {QStringLiteral(":to"), to}},
        [](const QSqlQuery &q) {
            return std::tuple(q.value(0).toString(), q.value(1).toString(), q.value(2).toInt());
        });
    if (!rows)
        return fail(rows.error());
    WebhookFigures w;
    for (const auto &[outcome, reasonText, count] : *rows) {
        if (outcome == WebhookOutcomeDroppedPolled) {
            w.droppedThenPolled += count;
            continue; // not a delivery: one that never came
        }
        w.received += count;
        if (outcome == WebhookOutcomeVerified) {
            w.verified += count;
        } else if (outcome == WebhookOutcomeDuplicate) {
            w.duplicates += count;
        } else if (outcome == WebhookOutcomeLate) {
            w.late += count;
        } else {
            w.rejected += count;
            const QString reason = reasonText.isEmpty() ? outcome : reasonText;
            auto it =
                std::find_if(w.rejectedBy.begin(), w.rejectedBy.end(),
                             [&](const WebhookFigures::Reason &r) { return r.reason == reason; });
            if (it == w.rejectedBy.end())
                w.rejectedBy.append({reason, count});
            else
                it->count += count;
        }
    }
    std::stable_sort(w.rejectedBy.begin(), w.rejectedBy.end(),
                     [](const auto &a, const auto &b) { return a.count > b.count; });
    return w;
}

} // namespace

Result<MonitoringFigures, StoreError>
JobStore::monitoringFigures(const MonitoringQuery &query) const
{
    assertOwnerThread();
    MonitoringFigures figures;
    figures.query = query;
    const Binds range = rangeBinds(query);
    Binds priced = range;
    const QString cost = QStringLiteral("c.predict_time * ") + priceOf(query.prices, priced);
    const Binds days = Binds{{QStringLiteral(":offset"), qint64(query.utcOffsetSeconds) * 1000},
                             {QStringLiteral(":day"), dayMs}};
    // "+created_at": a range over most of the table is read faster through a covering index in
    // the order the figure needs than through the created_at index plus a row lookup each.
    const bool counts = query.parts & CountFigures;

    if (counts) {
        // Jobs created in the range, per local day (jobs_created_status, in day order).
        {
            const auto rows = selectRows(
                *m_db,
                QStringLiteral(
                    "SELECT (created_at + :offset) / :day, count(*), "
                    "sum(status = 'succeeded'), sum(status = 'failed'), "
                    "sum(status = 'canceled'), sum(status = 'needs_attention'), "
                    "sum(status IN ('pending', 'processing')) FROM jobs "
                    "WHERE created_at >= :from AND created_at < :to GROUP BY 1 ORDER BY 1"),
                range + days, [](const QSqlQuery &q) {
                    std::array<qint64, 7> r{};
                    for (int i = 0; i < 7; ++i)
                        r[std::size_t(i)] = q.value(i).toLongLong();
                    return r;
                });
            if (!rows)
                return fail(rows.error());
            CompletionFigures &c = figures.completion;
            for (const auto &r : *rows) {
                c.jobs += int(r[1]);
                c.succeeded += int(r[2]);
                c.failed += int(r[3]);
                c.canceled += int(r[4]);
                c.needsAttention += int(r[5]);
                c.active += int(r[6]);
                figures.days.append(DayFigures{localDay(r[0]), int(r[1]), int(r[2]), int(r[3]), 0});
            }
        }
    }

    // Calls by local day × step × model × state × error type: whole quarter hours from
    // call_buckets, the range's partial quarter hours from provider_calls. Predictions, failed
    // attempts, output problems, cost per day and the durations' sample counts follow from it.
    struct Group {
        qint64 day = 0;
        QString step, model, state, errorType;
        int calls = 0, predictions = 0, priced = 0;
        double predictTime = 0;
        int samples[4] = {0, 0, 0, 0}; ///< non-null queue, starting, running, total
    };
    QList<Group> byDay;
    {
        const qint64 from = query.from.toMSecsSinceEpoch();
        const qint64 to = query.to.toMSecsSinceEpoch();
        const qint64 first = from <= 0 ? 0 : (from + callBucketMs - 1) / callBucketMs;
        const qint64 end = std::max(first, to / callBucketMs);
        const QString raw = QStringLiteral(
            "SELECT created_at AS t, COALESCE(step_name, '') AS step_name, model_ref, state, "
            "COALESCE(error_type, '') AS error_type, 1 AS calls, prediction_id IS NOT NULL AS "
            "predictions, predict_time IS NOT NULL AS priced, COALESCE(predict_time, 0) AS "
            "predict_time, queue_ms IS NOT NULL AS queue_n, starting_ms IS NOT NULL AS "
            "starting_n, running_ms IS NOT NULL AS running_n, total_ms IS NOT NULL AS total_n "
            "FROM provider_calls WHERE ");
        auto rows = selectRows(
            *m_db,
            QStringLiteral("SELECT (t + :offset) / :day, step_name, model_ref, state, error_type, "
                           "sum(calls), sum(predictions), sum(priced), sum(predict_time), "
                           "sum(queue_n), sum(starting_n), sum(running_n), sum(total_n) FROM ("
                           "SELECT bucket * 900000 AS t, step_name, model_ref, state, error_type, "
                           "calls, predictions, priced, predict_time, queue_n, starting_n, "
                           "running_n, total_n FROM call_buckets WHERE bucket >= :first "
                           "AND bucket < :end UNION ALL ")
                + raw
                + QStringLiteral("created_at >= :from AND created_at < min(:to, :first_ms) "
                                 "UNION ALL ")
                + raw
                + QStringLiteral("created_at >= max(:from, :end_ms) AND created_at < :to) "
                                 "GROUP BY 1, 2, 3, 4, 5 HAVING sum(calls) <> 0"),
            range + days
                + Binds{{QStringLiteral(":first"), first},
                        {QStringLiteral(":end"), end},
                        {QStringLiteral(":first_ms"), first * callBucketMs},
                        {QStringLiteral(":end_ms"), end * callBucketMs}},
            [](const QSqlQuery &q) {
                Group g{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                        q.value(3).toString(), q.value(4).toString()};
                g.calls = q.value(5).toInt();
                g.predictions = q.value(6).toInt();
                g.priced = q.value(7).toInt();
                g.predictTime = q.value(8).toDouble();
                for (int i = 0; i < 4; ++i)
                    g.samples[i] = q.value(9 + i).toInt();
                return g;
            });
        if (!rows)
            return fail(rows.error());
        byDay = std::move(rows).value();
    }
    // The same without days, for everything but the cost per day.
    QList<Group> groups;
    for (const Group &d : std::as_const(byDay)) {
        auto it = std::find_if(groups.begin(), groups.end(), [&](const Group &g) {
            return g.step == d.step && g.model == d.model && g.state == d.state
                   && g.errorType == d.errorType;
        });
        if (it == groups.end()) {
            groups.append(d);
            continue;
        }
        it->calls += d.calls;
        it->predictions += d.predictions;
        it->priced += d.priced;
        it->predictTime += d.predictTime;
        for (int i = 0; i < 4; ++i)
            it->samples[i] += d.samples[i];
    }
    for (const Group &d : std::as_const(byDay)) {
        if (d.priced == 0)
            continue;
        const double usd = d.predictTime * query.prices.usdPerSecond(d.model);
        figures.cost.totalUsd += usd;
        figures.cost.predictSeconds += d.predictTime;
        const QDate day = localDay(d.day);
        auto it = std::lower_bound(figures.days.begin(), figures.days.end(), day,
                                   [](const DayFigures &x, const QDate &y) { return x.day < y; });
        if (it == figures.days.end() || it->day != day)
            it = figures.days.insert(it, DayFigures{day, 0, 0, 0, 0});
        it->costUsd += usd;
    }

    PredictionFigures &p = figures.predictions;
    for (const Group &g : groups) {
        p.intents += g.calls;
        p.created += g.predictions;
        if (g.state == QLatin1String("succeeded"))
            p.succeeded += g.calls;
        else if (g.state == QLatin1String("failed"))
            p.failed += g.calls;
        else if (g.state == QLatin1String("canceled"))
            p.canceled += g.calls;
        else
            p.inFlight += g.calls;
        if (g.errorType == QLatin1String("output_rejected"))
            figures.outputs.validationFailures += g.calls;
        else if (g.errorType == QLatin1String("output_missing"))
            figures.outputs.missing += g.calls;
        else if (g.errorType == QLatin1String("output_expired"))
            figures.outputs.expired += g.calls;
        const bool ended = g.state == QLatin1String("succeeded")
                           || g.state == QLatin1String("failed")
                           || g.state == QLatin1String("canceled");
        if (ended)
            figures.cost.unpricedCalls += g.predictions - std::min(g.predictions, g.priced);
        figures.cost.pricedCalls += g.priced;
    }

    if (counts) {
        // Failed attempts: the groups with an error type, with their jobs (provider_calls_errors),
        // and steps that failed without any call.
        {
            auto rows = selectRows(
                *m_db,
                QStringLiteral(
                    "SELECT c.step_name, c.error_type, c.model_ref, count(*), "
                    "count(DISTINCT c.job_id), count(DISTINCT CASE WHEN j.status = 'failed' THEN "
                    "c.job_id END), max(COALESCE(c.completed_at, c.updated_at)) "
                    "FROM provider_calls c JOIN jobs j ON j.id = c.job_id "
                    "WHERE c.error_type IS NOT NULL AND c.created_at >= :from "
                    "AND c.created_at < :to AND c.error_type NOT IN ")
                    + notFailures
                    + QStringLiteral(
                        " GROUP BY 1, 2, 3 UNION ALL "
                        "SELECT st.step_name, st.error_type, '', count(*), count(DISTINCT "
                        "st.job_id), "
                        "count(DISTINCT CASE WHEN j.status = 'failed' THEN st.job_id END), "
                        "max(COALESCE(st.completed_at, j.updated_at)) "
                        "FROM jobs j JOIN job_steps st ON st.job_id = j.id "
                        "WHERE j.status IN ('failed', 'needs_attention') "
                        "AND j.created_at >= :from AND j.created_at < :to "
                        "AND st.error_type IS NOT NULL AND st.error_type NOT IN ")
                    + notFailures
                    + QStringLiteral(" AND st.status IN ('failed', 'needs_attention') "
                                     "AND NOT EXISTS (SELECT 1 FROM provider_calls c "
                                     "WHERE c.step_id = st.id) GROUP BY 1, 2 "
                                     "ORDER BY 4 DESC, 1, 2, 3"),
                range, [](const QSqlQuery &q) {
                    return FailureRow{q.value(0).toString(), q.value(1).toString(),
                                      q.value(2).toString(), asInt(q.value(3)),
                                      asInt(q.value(4)),     asInt(q.value(5)),
                                      timeFrom(q.value(6))};
                });
            if (!rows)
                return fail(rows.error());
            figures.failures = std::move(rows).value();
        }
    }

    if (query.parts & DurationFigures) {
        // Durations of succeeded attempts: nearest-rank p50 and p95 per step × model, each read by
        // walking that duration's index in order — p50 from the shortest, p95 from the longest.
        {
            static const char *const metrics[] = {"queue_ms", "starting_ms", "running_ms",
                                                  "total_ms"};
            for (const Group &g : groups) {
                if (g.state != QLatin1String("succeeded"))
                    continue;
                auto row = std::find_if(
                    figures.durations.begin(), figures.durations.end(),
                    [&](const DurationRow &d) { return d.step == g.step && d.model == g.model; });
                if (row == figures.durations.end()) {
                    figures.durations.append(DurationRow{g.step, g.model, {}, {}, {}, {}});
                    row = figures.durations.end() - 1;
                }
                DurationStat *stats[] = {&row->queue, &row->starting, &row->running, &row->total};
                for (int m = 0; m < 4; ++m) {
                    const int n = g.samples[m];
                    if (n == 0)
                        continue;
                    const QString column = QLatin1String(metrics[m]);
                    const QString walk =
                        QStringLiteral("SELECT %1 FROM provider_calls WHERE state = 'succeeded' "
                                       "AND step_name = :step AND model_ref = :model AND %1 IS NOT "
                                       "NULL AND created_at >= :from AND created_at < :to "
                                       "ORDER BY %1 %2 LIMIT 1 OFFSET :skip")
                            .arg(column);
                    Binds binds = range
                                  + Binds{{QStringLiteral(":step"), g.step},
                                          {QStringLiteral(":model"), g.model}};
                    const int rank50 = (n + 1) / 2;         // ceil(0.5 n)
                    const int rank95 = (95 * n + 99) / 100; // ceil(0.95 n)
                    const auto p50 =
                        selectValue(*m_db, walk.arg(QStringLiteral("ASC")),
                                    binds + Binds{{QStringLiteral(":skip"), rank50 - 1}});
                    if (!p50)
                        return fail(p50.error());
                    const auto p95 =
                        selectValue(*m_db, walk.arg(QStringLiteral("DESC")),
                                    binds + Binds{{QStringLiteral(":skip"), n - rank95}});
                    if (!p95)
                        return fail(p95.error());
                    *stats[m] = DurationStat{n, p50->toLongLong(), p95->toLongLong()};
                }
            }
            // By the workflow's step order (the steps' ordinals are the same in every job of a
            // workflow), then model.
            QHash<QString, int> order;
            const auto ordinals = selectRows(
                *m_db,
                QStringLiteral("SELECT step_name, min(ordinal) FROM job_steps WHERE job_id = "
                               "(SELECT id FROM jobs ORDER BY created_at DESC LIMIT 1) "
                               "GROUP BY step_name"),
                {}, [](const QSqlQuery &q) {
                    return std::pair(q.value(0).toString(), q.value(1).toInt());
                });
            if (!ordinals)
                return fail(ordinals.error());
            for (const auto &[step, ordinal] : *ordinals)
                order.insert(step, ordinal);
            std::stable_sort(figures.durations.begin(), figures.durations.end(),
                             [&](const DurationRow &a, const DurationRow &b) {
                                 const int oa = order.value(a.step, 1 << 20);
                                 const int ob = order.value(b.step, 1 << 20);
                                 if (oa != ob)
                                     return oa < ob;
                                 if (a.step != b.step)
                                     return a.step < b.step;
                                 return a.model < b.model;
                             });
        }
    }

    if (counts) {
        // Retries: steps whose second (or later) attempt was recorded in the range.
        {
            const auto row = selectOne(
                *m_db,
                QStringLiteral("SELECT count(*), sum(EXISTS (SELECT 1 FROM provider_calls s "
                               "WHERE s.step_id = r.step_id AND s.state = 'succeeded')) FROM "
                               "(SELECT DISTINCT step_id FROM provider_calls WHERE attempt > 1 "
                               "AND created_at >= :from AND created_at < :to) r"),
                range, [](const QSqlQuery &q) {
                    return RetryFigures{asInt(q.value(0)), asInt(q.value(1))};
                });
            if (!row)
                return fail(row.error());
            figures.retries = row->value_or(RetryFigures{});
        }

        // Recovered after a restart; stuck now.
        {
            const auto recovered = selectValue(
                *m_db,
                QStringLiteral("SELECT count(DISTINCT job_id) FROM events WHERE kind = 'recovered' "
                               "AND time >= :from AND time < :to"),
                range);
            if (!recovered)
                return fail(recovered.error());
            figures.jobsRecovered = asInt(*recovered);
            const auto stuck = selectValue(
                *m_db, QStringLiteral("SELECT count(*) FROM jobs WHERE stuck_reason IS NOT NULL"),
                {});
            if (!stuck)
                return fail(stuck.error());
            figures.stuckNow = asInt(*stuck);
        }
    }

    if (counts) {
        auto webhooks = webhookFigures(*m_db, query);
        if (!webhooks)
            return fail(webhooks.error());
        figures.webhooks = std::move(webhooks).value();
    }

    // Cost per brief (provider_calls_brief_cost) and the costliest jobs
    // (provider_calls_job_cost); the total and per day came with the groups above.
    if (query.parts & CostliestJobs) {
        const auto jobs = selectRows(
            *m_db,
            QStringLiteral("SELECT t.job_id, ") + productOf
                + QStringLiteral(", t.usd FROM (SELECT c.job_id AS job_id, sum(") + cost
                + QStringLiteral(") AS usd FROM provider_calls c WHERE +c.created_at >= :from "
                                 "AND +c.created_at < :to AND c.predict_time IS NOT NULL "
                                 "GROUP BY c.job_id ORDER BY usd DESC, c.job_id LIMIT :top) t "
                                 "JOIN jobs j ON j.id = t.job_id ORDER BY t.usd DESC, t.job_id"),
            priced + Binds{{QStringLiteral(":top"), query.topJobs}}, [](const QSqlQuery &q) {
                return CostFigures::JobCost{JobId(q.value(0).toString()), q.value(1).toString(),
                                            q.value(2).toDouble()};
            });
        if (!jobs)
            return fail(jobs.error());
        figures.cost.topJobs = std::move(jobs).value();
    }
    if (counts) {
        // Per brief: each job's cost first (provider_calls_brief_cost keeps a brief's calls
        // together), then the briefs: two streaming groups, and a sort of the briefs only.
        const auto briefs = selectRows(
            *m_db,
            QStringLiteral("SELECT brief, count(*), sum(usd) AS total FROM (SELECT c.brief AS "
                           "brief, c.job_id AS job_id, sum(")
                + cost
                + QStringLiteral(") AS usd FROM provider_calls c WHERE +c.created_at >= :from "
                                 "AND +c.created_at < :to AND c.predict_time IS NOT NULL "
                                 "AND c.brief IS NOT NULL GROUP BY c.brief, c.job_id) "
                                 "GROUP BY brief ORDER BY total DESC, brief LIMIT :top"),
            priced + Binds{{QStringLiteral(":top"), query.topBriefs}}, [](const QSqlQuery &q) {
                const QString brief = q.value(0).toString();
                const qsizetype cut = brief.indexOf(QChar(0x1f));
                return CostFigures::BriefCost{brief.left(cut),
                                              cut < 0 ? QString() : brief.mid(cut + 1),
                                              asInt(q.value(1)), q.value(2).toDouble()};
            });
        if (!briefs)
            return fail(briefs.error());
        figures.cost.topBriefs = std::move(briefs).value();
        const CompletionFigures &c = figures.completion;
        figures.cost.jobsWithCost = c.succeeded + c.failed + c.canceled;
    }
    return figures;
}

Result<QList<JobId>, StoreError> JobStore::jobsWithFailure(const MonitoringQuery &query,
                                                           const QString &step,
                                                           const QString &errorType,
                                                           const QString &model, int limit) const
{
    assertOwnerThread();
    Binds binds = rangeBinds(query);
    binds += Binds{{QStringLiteral(":step"), step},
                   {QStringLiteral(":error_type"), errorType},
                   {QStringLiteral(":limit"), limit > 0 ? limit : -1}};
    QString sql;
    if (model.isEmpty()) {
        sql = QStringLiteral("SELECT j.id FROM jobs j JOIN job_steps st ON st.job_id = j.id "
                             "WHERE j.created_at >= :from AND j.created_at < :to "
                             "AND st.step_name = :step AND st.error_type = :error_type "
                             "AND st.status IN ('failed', 'needs_attention') "
                             "AND NOT EXISTS (SELECT 1 FROM provider_calls c "
                             "WHERE c.step_id = st.id) "
                             "GROUP BY j.id ORDER BY max(j.created_at) DESC, j.id DESC "
                             "LIMIT :limit");
    } else {
        binds.append({QStringLiteral(":model"), model});
        sql = QStringLiteral("SELECT c.job_id FROM provider_calls c "
                             "JOIN job_steps st ON st.id = c.step_id "
                             "WHERE c.created_at >= :from AND c.created_at < :to "
                             "AND st.step_name = :step AND c.error_type = :error_type "
                             "AND c.model_ref = :model "
                             "GROUP BY c.job_id ORDER BY max(c.created_at) DESC, c.job_id DESC "
                             "LIMIT :limit");
    }
    return selectRows(*m_db, sql, binds,
                      [](const QSqlQuery &q) { return JobId(q.value(0).toString()); });
}

Result<double, StoreError> JobStore::spendSince(const QDateTime &since,
                                                const PriceTable &prices) const
{
    assertOwnerThread();
    Binds binds{{QStringLiteral(":since"), since.toMSecsSinceEpoch()}};
    const QString price = priceOf(prices, binds);
    const auto value =
        selectValue(*m_db,
                    QStringLiteral("SELECT COALESCE(sum(c.predict_time * ") + price
                        + QStringLiteral("), 0) FROM provider_calls c WHERE c.created_at >= :since "
                                         "AND c.predict_time IS NOT NULL"),
                    binds);
    if (!value)
        return fail(value.error());
    return value->toDouble();
}

Result<QHash<JobId, double>, StoreError> JobStore::jobCosts(const QList<JobId> &ids,
                                                            const PriceTable &prices) const
{
    assertOwnerThread();
    QHash<JobId, double> costs;
    if (ids.isEmpty())
        return costs;
    Binds binds{{QStringLiteral(":ids"), idArray(ids)}};
    const QString price = priceOf(prices, binds);
    const auto rows =
        selectRows(*m_db,
                   QStringLiteral("SELECT c.job_id, sum(c.predict_time * ") + price
                       + QStringLiteral(") FROM provider_calls c WHERE c.job_id") + inIds
                       + QStringLiteral(" AND c.predict_time IS NOT NULL GROUP BY c.job_id"),
                   binds, [](const QSqlQuery &q) {
                       return std::pair(JobId(q.value(0).toString()), q.value(1).toDouble());
                   });
    if (!rows)
        return fail(rows.error());
    for (const auto &[job, usd] : *rows)
        costs.insert(job, usd);
    return costs;
}

Result<QList<StepHistory>, StoreError> JobStore::stepHistory(int samples) const
{
    assertOwnerThread();
    samples = std::max(1, samples);
    // The models with successes, by skipping through provider_calls_model_done (one probe per
    // model, not a scan of every call).
    const auto models = selectRows(
        *m_db,
        QStringLiteral("WITH RECURSIVE m(model) AS (SELECT min(model_ref) FROM provider_calls "
                       "WHERE state = 'succeeded' UNION ALL SELECT (SELECT min(model_ref) FROM "
                       "provider_calls WHERE state = 'succeeded' AND model_ref > m.model) FROM m "
                       "WHERE m.model IS NOT NULL) SELECT model FROM m WHERE model IS NOT NULL"),
        {}, [](const QSqlQuery &q) { return q.value(0).toString(); });
    if (!models)
        return fail(models.error());

    struct Sample {
        QString step;
        qint64 totalMs = 0;
        QVariant predictTime;
    };
    QList<StepHistory> history;
    for (const QString &model : *models) {
        // The model's latest successes, newest first (provider_calls_model_done); enough of them
        // that every step using the model gets its share.
        const auto rows = selectRows(
            *m_db,
            QStringLiteral("SELECT step_name, total_ms, predict_time FROM provider_calls "
                           "WHERE state = 'succeeded' AND model_ref = :model "
                           "AND total_ms IS NOT NULL ORDER BY completed_at DESC LIMIT :limit"),
            {{QStringLiteral(":model"), model}, {QStringLiteral(":limit"), samples * 8}},
            [](const QSqlQuery &q) {
                return Sample{q.value(0).toString(), q.value(1).toLongLong(), q.value(2)};
            });
        if (!rows)
            return fail(rows.error());
        QHash<QString, QList<qint64>> totals;
        QHash<QString, QList<double>> predicts;
        QStringList steps;
        for (const Sample &s : *rows) {
            QList<qint64> &t = totals[s.step];
            if (t.size() >= samples)
                continue;
            if (t.isEmpty())
                steps << s.step;
            t << s.totalMs;
            if (!s.predictTime.isNull())
                predicts[s.step] << s.predictTime.toDouble();
        }
        for (const QString &step : steps) {
            QList<qint64> t = totals.value(step);
            std::sort(t.begin(), t.end());
            QList<double> p = predicts.value(step);
            std::sort(p.begin(), p.end());
            // Nearest-rank medians, like the figures.
            history.append(StepHistory{step, model, int(t.size()), t.at((t.size() + 1) / 2 - 1),
                                       p.isEmpty() ? 0.0 : p.at((p.size() + 1) / 2 - 1)});
        }
    }
    return history;
}

Result<QHash<JobId, int>, StoreError> JobStore::jobsAhead(const QList<JobId> &ids) const
{
    assertOwnerThread();
    QHash<JobId, int> ahead;
    if (ids.isEmpty())
        return ahead;
    // Each count walks jobs_runnable (its WHERE clause word for word) up to the job's place.
    const auto rows = selectRows(
        *m_db,
        QStringLiteral("SELECT j.id, (SELECT count(*) FROM jobs k WHERE k.status IN "
                       "('pending', 'processing') AND k.queue_position < j.queue_position) "
                       "FROM jobs j WHERE j.id")
            + inIds + QStringLiteral(" AND j.status IN ('pending', 'processing')"),
        {{QStringLiteral(":ids"), idArray(ids)}}, [](const QSqlQuery &q) {
            return std::pair(JobId(q.value(0).toString()), q.value(1).toInt());
        });
    if (!rows)
        return fail(rows.error());
    for (const auto &[job, count] : *rows)
        ahead.insert(job, count);
    return ahead;
}

Result<void, StoreError> JobStore::recordWebhookDelivery(const WebhookDeliveryRecord &delivery)
{
    assertOwnerThread();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    const QDateTime at =
        delivery.receivedAt.isValid() ? delivery.receivedAt : QDateTime::currentDateTimeUtc();
    const auto written =
        write(*m_db,
              QStringLiteral("INSERT INTO webhook_deliveries (received_at, outcome, reason, "
                             "prediction_id, webhook_id) VALUES (:received_at, :outcome, :reason, "
                             ":prediction_id, :webhook_id)"),
              {{QStringLiteral(":received_at"), at.toMSecsSinceEpoch()},
               {QStringLiteral(":outcome"), requiredText(delivery.outcome)},
               {QStringLiteral(":reason"), textValue(delivery.reason)},
               {QStringLiteral(":prediction_id"), textValue(delivery.predictionId)},
               {QStringLiteral(":webhook_id"), textValue(delivery.webhookId)}});
    if (!written)
        return fail(written.error());
    const auto counted = write(
        *m_db,
        QStringLiteral("INSERT INTO webhook_delivery_hours (hour, outcome, reason, deliveries) "
                       "VALUES (:hour, :outcome, :reason, 1) ON CONFLICT (hour, outcome, reason) "
                       "DO UPDATE SET deliveries = deliveries + 1"),
        {{QStringLiteral(":hour"), at.toMSecsSinceEpoch() / 3'600'000},
         {QStringLiteral(":outcome"), requiredText(delivery.outcome)},
         {QStringLiteral(":reason"),
          QVariant(delivery.reason.isNull() ? QStringLiteral("") : delivery.reason)}});
    if (!counted)
        return fail(counted.error());
    return tx->commit();
}

} // namespace brieflow
