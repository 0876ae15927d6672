// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/store/jobstore.h"
#include "tests/core/store/rawdatabase.h"

// Seeds a job database with jobs, steps and provider calls at chosen times, through JobStore's
// public writes; the times the store stamps itself ("now") are then moved with raw SQL, which
// only tests may do.

namespace brieflow::test {

class MonitoringSeed {
public:
    MonitoringSeed(JobStore &store, QString file)
        : m_store(store)
        , m_raw(std::move(file))
    {}

    /** A job of three steps (concept, image_prompt, images) created at @p at. */
    JobRecord job(const QDateTime &at, const QString &product, const QString &audience)
    {
        const QJsonObject brief{{QStringLiteral("product_name"), product},
                                {QStringLiteral("audience"), audience},
                                {QStringLiteral("value_proposition"), QStringLiteral("v")}};
        const auto created =
            m_store.createJob({QStringLiteral("campaign_asset"),
                               QJsonDocument(brief).toJson(QJsonDocument::Compact),
                               {QStringLiteral("concept"), QStringLiteral("image_prompt"),
                                QStringLiteral("images")}});
        if (!created)
            qFatal("seed: createJob failed");
        exec(QStringLiteral("UPDATE jobs SET created_at = %1 WHERE id = '%2'")
                 .arg(at.toMSecsSinceEpoch())
                 .arg(created->id.toString()));
        return *created;
    }

    StepRecord step(const JobRecord &job, int ordinal)
    {
        const auto steps = m_store.steps(job.id);
        if (!steps || steps->size() <= ordinal)
            qFatal("seed: no such step");
        return steps->at(ordinal);
    }

    struct Call {
        int attempt = 1;
        QString model;
        CallState state = CallState::Succeeded;
        QDateTime intent;          ///< created_at
        QDateTime providerCreated; ///< metrics.created_at
        QDateTime providerStarted; ///< metrics.started_at
        std::optional<double> predictTime;
        QDateTime completed;
        QString errorType;
    };

    /** One attempt of @p step as described (prediction id "p-<n>"). */
    void call(const StepRecord &step, const Call &c)
    {
        auto intent = m_store.recordCallIntent(step.jobId, step.id, c.attempt, c.model,
                                               QStringLiteral("sha-%1").arg(++m_calls));
        if (!intent)
            qFatal("seed: recordCallIntent failed");
        ProviderCallRecord record = *intent;
        // The intent time first: the store derives the call's durations from it when the call
        // is written as succeeded.
        exec(QStringLiteral("UPDATE provider_calls SET created_at = %1 WHERE id = '%2'")
                 .arg(c.intent.toMSecsSinceEpoch())
                 .arg(record.id.toString()));
        record.predictionId = QStringLiteral("p-%1").arg(m_calls);
        record.state = c.state;
        record.submittedAt = c.intent.addMSecs(200);
        record.completedAt = c.completed;
        record.errorType = c.errorType;
        QJsonObject metrics;
        if (c.predictTime)
            metrics.insert(QStringLiteral("predict_time"), *c.predictTime);
        if (c.providerCreated.isValid())
            metrics.insert(QStringLiteral("created_at"),
                           c.providerCreated.toString(Qt::ISODateWithMs));
        if (c.providerStarted.isValid())
            metrics.insert(QStringLiteral("started_at"),
                           c.providerStarted.toString(Qt::ISODateWithMs));
        if (!metrics.isEmpty())
            record.metrics = QJsonDocument(metrics).toJson(QJsonDocument::Compact);
        if (!m_store.updateCall(record))
            qFatal("seed: updateCall failed");
    }

    /** Sets @p step's final state (attempts, error, times). */
    void finishStep(StepRecord step, StepStatus status, int attempts, const QDateTime &completed,
                    const QString &errorType = {})
    {
        step.status = status;
        step.attemptCount = attempts;
        step.completedAt = completed;
        step.errorType = errorType;
        step.errorMessage = errorType.isEmpty() ? QString() : QStringLiteral("seeded");
        if (!m_store.updateStep(step))
            qFatal("seed: updateStep failed");
    }

    void jobStatus(const JobRecord &job, JobStatus status)
    {
        if (!m_store.updateJobStatus(job.id, status, {}))
            qFatal("seed: updateJobStatus failed");
    }

    /** An event of @p kind at @p at (events can't be updated: inserted directly). */
    void event(const JobRecord &job, const QString &kind, const QDateTime &at)
    {
        exec(QStringLiteral("INSERT INTO events (job_id, time, kind, message) VALUES "
                            "('%1', %2, '%3', 'seeded')")
                 .arg(job.id.toString())
                 .arg(at.toMSecsSinceEpoch())
                 .arg(kind));
    }

    void exec(const QString &sql)
    {
        if (!m_raw.exec(sql))
            qFatal("seed: raw SQL failed: %s", qPrintable(sql));
    }

private:
    JobStore &m_store;
    RawDatabase m_raw;
    int m_calls = 0;
};

} // namespace brieflow::test
