// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/store/jobstore.h"
#include "tests/ui/queue/queuetestutil.h"

// Finished jobs with known step durations and predict_times, written through JobStore's public
// API: the history behind ETAs and cost estimates (JobStore::stepHistory()).

namespace brieflow::test {

inline const QString llama = QStringLiteral("meta/meta-llama-3-8b-instruct");
inline const QString flux = QStringLiteral("black-forest-labs/flux-schnell");

/** One step of a seeded job: how long it took from when it could start to its completion,
 *  and the prediction's predict_time in seconds (<= 0: none reported). */
struct SeedStep {
    qint64 totalMs = 0;
    double predictSeconds = 0;
};

/** The model the campaign workflow's step @p name uses by default (empty: the store step). */
inline QString defaultModelOf(const QString &name)
{
    if (name == QLatin1String("concept") || name == QLatin1String("image_prompt"))
        return llama;
    if (name == QLatin1String("image"))
        return flux;
    return {};
}

/** Runs the steps of @p job in order with one succeeded call each (the store step has no
 *  call), starting at the job's creation; @p steps by step name. The job ends succeeded. */
inline bool finishJob(JobStore &store, const JobRecord &job, const QHash<QString, SeedStep> &steps)
{
    auto records = store.steps(job.id);
    if (!records)
        return false;
    QDateTime t = job.createdAt;
    int n = 0;
    for (StepRecord step : *records) {
        const SeedStep seed = steps.value(step.name);
        const QString model = defaultModelOf(step.name);
        const QDateTime done = t.addMSecs(seed.totalMs);
        if (!model.isEmpty()) {
            auto call = store.recordCallIntent(
                job.id, step.id, 1, model, QStringLiteral("%1").arg(++n, 64, 10, QLatin1Char('0')));
            if (!call)
                return false;
            ProviderCallRecord c = *call;
            c.predictionId = QStringLiteral("p-%1-%2").arg(job.id.toString(), step.name);
            c.state = CallState::Succeeded;
            c.providerStatus = QStringLiteral("succeeded");
            QJsonObject metrics;
            if (seed.predictSeconds > 0)
                metrics.insert(QStringLiteral("predict_time"), seed.predictSeconds);
            metrics.insert(QStringLiteral("created_at"), t.toString(Qt::ISODateWithMs));
            metrics.insert(QStringLiteral("started_at"), t.toString(Qt::ISODateWithMs));
            c.metrics = QJsonDocument(metrics).toJson(QJsonDocument::Compact);
            c.submittedAt = t;
            c.completedAt = done;
            if (!store.updateCall(c))
                return false;
        }
        step.status = StepStatus::Succeeded;
        step.attemptCount = model.isEmpty() ? 0 : 1;
        step.startedAt = t;
        step.completedAt = done;
        if (!store.updateStep(step))
            return false;
        t = done;
    }
    return store.updateJobStatus(job.id, JobStatus::Succeeded, {}).ok();
}

/**
 * Three finished jobs whose medians (nearest rank) are, per step:
 *   concept       totals 30, 40, 90 s → 40 s; predict_time 2, 3, 8 s → 3 s    (llama)
 *   image_prompt  totals 10, 20, 25 s → 20 s; predict_time 1, 1.5, 2 s → 1.5 s (llama)
 *   image         totals 80, 100, 300 s → 100 s; predict_time 5, 6, 7 s → 6 s (flux)
 * so a whole job takes 160 s and, at the default prices (llama $0.000025/s, flux $0.003/s),
 * costs 4.5 × 0.000025 + 6 × 0.003 = $0.0181125.
 */
inline bool seedHistory(JobStore &store)
{
    const QList<QHash<QString, SeedStep>> jobs = {
        {{QStringLiteral("concept"), {30'000, 2.0}},
         {QStringLiteral("image_prompt"), {10'000, 1.0}},
         {QStringLiteral("image"), {80'000, 5.0}}},
        {{QStringLiteral("concept"), {40'000, 3.0}},
         {QStringLiteral("image_prompt"), {20'000, 1.5}},
         {QStringLiteral("image"), {100'000, 6.0}}},
        {{QStringLiteral("concept"), {90'000, 8.0}},
         {QStringLiteral("image_prompt"), {25'000, 2.0}},
         {QStringLiteral("image"), {300'000, 7.0}}},
    };
    int i = 0;
    for (const auto &steps : jobs) {
        const JobRecord job = addJob(store, QStringLiteral("History %1").arg(++i));
        if (job.id.isNull() || !finishJob(store, job, steps))
            return false;
    }
    return true;
}

inline constexpr qint64 historyJobMs = 160'000;
inline constexpr double historyJobUsd = 4.5 * 0.000025 + 6 * 0.003;

} // namespace brieflow::test
