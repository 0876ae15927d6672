// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <initializer_list>

#include <QLatin1String>
#include <QString>

// Column names of the current schema, defined once. SELECTs and INSERTs list columns from these
// arrays, and rows.cpp reads values by the matching enum index, so the two can't drift apart.
// The DDL in schema.cpp spells names out on purpose: a migration is history and must not
// change when a constant does.

namespace brieflow::db {

template<std::size_t N>
using Columns = std::array<const char *, N>;

/** "a, b, c", optionally each prefixed with "alias.". */
template<std::size_t N>
QString columnList(const Columns<N> &columns, const char *alias = nullptr)
{
    QString out;
    for (const char *name : columns) {
        if (!out.isEmpty())
            out += QStringLiteral(", ");
        if (alias)
            out += QLatin1String(alias) + QLatin1Char('.');
        out += QLatin1String(name);
    }
    return out;
}

/** ":a, :b, :c": one named placeholder per column. */
template<std::size_t N>
QString placeholderList(const Columns<N> &columns)
{
    QString out;
    for (const char *name : columns) {
        if (!out.isEmpty())
            out += QStringLiteral(", ");
        out += QLatin1Char(':') + QLatin1String(name);
    }
    return out;
}

inline QString placeholder(const char *column)
{
    return QLatin1Char(':') + QLatin1String(column);
}

/** "b = :b, c = :c" for the columns at @p which, for UPDATE ... SET. */
template<std::size_t N>
QString assignments(const Columns<N> &columns, std::initializer_list<int> which)
{
    QString out;
    for (const int i : which) {
        if (!out.isEmpty())
            out += QStringLiteral(", ");
        out += QLatin1String(columns.at(static_cast<std::size_t>(i))) + QStringLiteral(" = ")
               + placeholder(columns.at(static_cast<std::size_t>(i)));
    }
    return out;
}

namespace jobs {
inline constexpr char table[] = "jobs";
enum Column : int {
    Id,
    WorkflowType,
    Status,
    CurrentStep,
    InputPayload,
    OutputPayload,
    ErrorType,
    ErrorMessage,
    QueuePosition,
    CreatedAt,
    UpdatedAt,
    RunAfter,
    StuckReason,
    StuckSince,
    ColumnCount
};
inline constexpr Columns<ColumnCount> columns{"id",           "workflow_type", "status",
                                              "current_step", "input_payload", "output_payload",
                                              "error_type",   "error_message", "queue_position",
                                              "created_at",   "updated_at",    "run_after",
                                              "stuck_reason", "stuck_since"};
} // namespace jobs

namespace steps {
inline constexpr char table[] = "job_steps";
enum Column : int {
    Id,
    JobId,
    Name,
    Ordinal,
    Status,
    AttemptCount,
    InputPayload,
    OutputPayload,
    ErrorType,
    ErrorMessage,
    StartedAt,
    CompletedAt,
    StuckReason,
    StuckSince,
    StuckThresholdMs,
    StuckSnoozedUntil,
    RetryRequestedAt,
    ColumnCount
};
inline constexpr Columns<ColumnCount> columns{"id",
                                              "job_id",
                                              "step_name",
                                              "ordinal",
                                              "status",
                                              "attempt_count",
                                              "input_payload",
                                              "output_payload",
                                              "error_type",
                                              "error_message",
                                              "started_at",
                                              "completed_at",
                                              "stuck_reason",
                                              "stuck_since",
                                              "stuck_threshold_ms",
                                              "stuck_snoozed_until",
                                              "retry_requested_at"};
} // namespace steps

namespace calls {
inline constexpr char table[] = "provider_calls";
enum Column : int {
    Id,
    JobId,
    StepId,
    Attempt,
    ModelRef,
    InputSha256,
    PredictionId,
    State,
    ProviderStatus,
    RawLastResponse,
    Metrics,
    CreatedAt,
    SubmittedAt,
    UpdatedAt,
    CompletedAt,
    ErrorType,
    ErrorMessage,
    ColumnCount
};
inline constexpr Columns<ColumnCount> columns{
    "id",           "job_id",        "step_id",      "attempt",         "model_ref",
    "input_sha256", "prediction_id", "state",        "provider_status", "raw_last_response",
    "metrics",      "created_at",    "submitted_at", "updated_at",      "completed_at",
    "error_type",   "error_message"};
} // namespace calls

namespace outputs {
inline constexpr char table[] = "outputs";
enum Column : int {
    Id,
    JobId,
    StepId,
    Kind,
    FilePath,
    Sha256,
    Mime,
    Width,
    Height,
    Bytes,
    SourceUrl,
    CreatedAt,
    ColumnCount
};
inline constexpr Columns<ColumnCount> columns{"id",        "job_id", "step_id",    "kind",
                                              "file_path", "sha256", "mime",       "width",
                                              "height",    "bytes",  "source_url", "created_at"};
} // namespace outputs

namespace events {
inline constexpr char table[] = "events";
enum Column : int { Id, JobId, StepId, Time, Kind, Message, Data, ColumnCount };
inline constexpr Columns<ColumnCount> columns{"id",   "job_id",  "step_id", "time",
                                              "kind", "message", "data"};
} // namespace events

} // namespace brieflow::db
