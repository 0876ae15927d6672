// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// SQL expressions for the monitoring columns of provider_calls (schema 7), shared by the
// migration that fills old rows and JobStore::updateCall that keeps them. Internal to
// core/store. Both evaluate in the context of one provider_calls row.

namespace brieflow::db {

/** When the call's step could start: the previous step's end (the job's creation for the first
 *  step), or the end of this step's previous attempt when that is later (a retry's wait counts
 *  as time in our queue). */
inline const QString callReadyAt = QStringLiteral(
    "max(COALESCE((SELECT p.completed_at FROM job_steps s JOIN job_steps p ON p.job_id = "
    "s.job_id AND p.ordinal = s.ordinal - 1 WHERE s.id = provider_calls.step_id), "
    "(SELECT created_at FROM jobs WHERE id = provider_calls.job_id)), "
    "COALESCE((SELECT max(e.completed_at) FROM provider_calls e WHERE e.step_id = "
    "provider_calls.step_id AND e.attempt < provider_calls.attempt), 0))");

/** The call's brief as the cost figures group it: product name, U+001F, audience. */
inline const QString callBrief = QStringLiteral(
    "(SELECT CASE WHEN json_valid(input_payload) THEN COALESCE(json_extract(input_payload, "
    "'$.product_name'), '') || char(31) || COALESCE(json_extract(input_payload, '$.audience'), "
    "'') END FROM jobs WHERE id = provider_calls.job_id)");

/** The call's step name. */
inline const QString callStepName =
    QStringLiteral("(SELECT step_name FROM job_steps WHERE id = provider_calls.step_id)");

/** A quarter hour: call_buckets' unit of time. */
inline constexpr qint64 callBucketMs = 900'000;

/** call_buckets' values for one provider_calls row (@p row: "NEW.", "OLD." or "" in a SELECT
 *  over the table), counted @p sign times. */
inline QString callBucketValues(const QString &row, int sign)
{
    const QString n = QString::number(sign);
    return QStringLiteral("%1created_at / 900000, COALESCE(%1step_name, ''), %1model_ref, "
                          "%1state, COALESCE(%1error_type, ''), %2, %2 * (%1prediction_id IS NOT "
                          "NULL), %2 * (%1predict_time IS NOT NULL), %2 * COALESCE(%1predict_time, "
                          "0), %2 * (%1queue_ms IS NOT NULL), %2 * (%1starting_ms IS NOT NULL), "
                          "%2 * (%1running_ms IS NOT NULL), %2 * (%1total_ms IS NOT NULL)")
        .arg(row, n);
}

/** True when an update changed anything call_buckets counts. */
inline const QString callBucketChanged = QStringLiteral(
    "(OLD.created_at / 900000 IS NOT NEW.created_at / 900000 OR OLD.step_name IS NOT "
    "NEW.step_name OR OLD.model_ref IS NOT NEW.model_ref OR OLD.state IS NOT NEW.state OR "
    "OLD.error_type IS NOT NEW.error_type OR OLD.prediction_id IS NOT NEW.prediction_id OR "
    "OLD.predict_time IS NOT NEW.predict_time OR OLD.queue_ms IS NOT NEW.queue_ms OR "
    "OLD.starting_ms IS NOT NEW.starting_ms OR OLD.running_ms IS NOT NEW.running_ms OR "
    "OLD.total_ms IS NOT NEW.total_ms)");

/** The upsert that adds a row's values to its bucket. */
inline const QString callBucketSums = QStringLiteral(
    "calls = calls + excluded.calls, predictions = predictions + excluded.predictions, "
    "priced = priced + excluded.priced, predict_time = predict_time + excluded.predict_time, "
    "queue_n = queue_n + excluded.queue_n, starting_n = starting_n + excluded.starting_n, "
    "running_n = running_n + excluded.running_n, total_n = total_n + excluded.total_n");

} // namespace brieflow::db
