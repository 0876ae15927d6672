// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include "core/util/result.h"

namespace brieflow {

/** What a step does: call a language model, call an image model, or store the outputs. */
enum class StepKind { Text, Image, Store };

/** "text", "image", "store": the spellings of the workflow JSON. */
QString toString(StepKind kind);
std::optional<StepKind> stepKindFromString(QStringView text);

/**
 * When and how often a failed step is tried again. Pure data plus arithmetic: the engine owns
 * the timers and the random numbers.
 */
struct RetryPolicy {
    int maxAttempts = 3; ///< attempts in all, the first included; 1 = never retry
    std::chrono::milliseconds initialBackoff{2000};
    std::chrono::milliseconds maxBackoff{60000};
    double jitter = 0.2;    ///< 0..1: the wait varies by up to ± this fraction
    QStringList neverRetry; ///< error_type strings, e.g. "invalid_input", "output_rejected"

    /** False when @p errorType is listed in neverRetry. Attempts are the caller's to count. */
    bool retries(const QString &errorType) const;

    /**
     * The wait before the next attempt after @p failedAttempts failures (1 for the wait after
     * the first failure): initialBackoff × 2^(failedAttempts − 1), capped at maxBackoff, then
     * moved by up to ± jitter × that value, using @p random01 in [0, 1) (0.5 = no change).
     * The result never exceeds maxBackoff and is never negative. failedAttempts < 1 counts as 1.
     */
    std::chrono::milliseconds backoff(int failedAttempts, double random01) const;

    friend bool operator==(const RetryPolicy &, const RetryPolicy &) = default;
};

/** What a text step's output must look like; see checkTextOutput(). */
struct OutputCheck {
    int minChars = 1; ///< in Unicode code points, after cleaning
    int maxChars = 0; ///< 0 = no limit
    bool rejectApology = false;
    bool singleParagraph = false;

    friend bool operator==(const OutputCheck &, const OutputCheck &) = default;
};

/** One step of a workflow, as read from its JSON definition. */
struct StepDefinition {
    QString name;  ///< snake_case, unique in the workflow; used in templates and the database
    QString title; ///< for people: "Campaign concept"
    StepKind kind = StepKind::Text;
    QString model;                     ///< canonical ModelRef text; empty for store steps
    QByteArray inputTemplate;          ///< compact JSON object text; empty for store steps
    std::chrono::seconds timeout{300}; ///< becomes Cancel-After (text and image steps)
    bool stream = false;               ///< text steps: stream tokens
    RetryPolicy retry;
    OutputCheck check; ///< text steps only; the default for the others

    friend bool operator==(const StepDefinition &, const StepDefinition &) = default;
};

/** A linear workflow: its steps run in order, each may use the outputs of earlier ones. */
struct Workflow {
    QString id;
    QString title;
    int version = 1;
    QList<StepDefinition> steps;

    QStringList stepNames() const;
    /** The step called @p name, or nullptr. Valid while this workflow is alive and unchanged. */
    const StepDefinition *step(const QString &name) const;
    /** The position of the step called @p name, or -1. */
    qsizetype indexOf(const QString &name) const;

    friend bool operator==(const Workflow &, const Workflow &) = default;
};

/**
 * One problem with a workflow definition. @c path points at the JSON value concerned, e.g.
 * "steps[1].retry.max_attempts" or "steps[2].input.prompt"; empty for the file as a whole.
 * @c message is a plain sentence.
 */
struct WorkflowError {
    QString path;
    QString message;

    friend bool operator==(const WorkflowError &, const WorkflowError &) = default;
};
using WorkflowErrors = QList<WorkflowError>;

/** The largest workflow definition read; a real one is a few kilobytes. */
inline constexpr qsizetype MaxWorkflowJsonBytes = 1024 * 1024;

/**
 * Reads and validates a workflow definition. Strict: unknown or repeated keys, wrong types, out
 * of range numbers, invalid model references and template placeholders that cannot be filled
 * (unknown brief fields, steps that don't exist, come later or have no text output, an optional
 * brief field outside its own section, unbalanced sections) are all errors. Every problem found
 * is reported: repeated keys first, then the rest in document order. A UTF-8 byte order mark is
 * skipped. The model reference is stored in its canonical form (ModelRef::toString()).
 */
Result<Workflow, WorkflowErrors> parseWorkflow(const QByteArray &json);

/** parseWorkflow() on the contents of a file path or a ":/…" resource. */
Result<Workflow, WorkflowErrors> loadWorkflowFile(const QString &path);

/**
 * A workflow embedded in the core library, from ":/brieflow/workflows/<id>.json". Parsed once
 * per process and then served from a cache (thread-safe).
 */
Result<Workflow, WorkflowErrors> builtinWorkflow(const QString &id);

/** The ids of the embedded workflows, sorted. */
QStringList builtinWorkflowIds();

/** "campaign_asset": brief → concept → image prompt → images → stored. */
QString defaultWorkflowId();

/** Every error as "path: message" lines (just the message when the path is empty). */
QString formatWorkflowErrors(const WorkflowErrors &errors);

} // namespace brieflow
