// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/monitoring/pricetable.h"
#include "core/store/jobstore.h"

// A job database with known figures for the Monitoring view's tests (and its screenshot),
// written through JobStore's public API only. Every job is created "now", so all of it falls in
// "Today". The figures a test expects are worked out by hand in the comments.

namespace brieflow::test {

inline const QString llama = QStringLiteral("meta/meta-llama-3-8b-instruct");
inline const QString flux = QStringLiteral("black-forest-labs/flux-schnell");
inline const QString stuckReason =
    QStringLiteral("Running for 9 min; this model usually takes about 40 s.");

/** $0.001/s for the text model, $0.01/s for the image model. */
inline PriceTable seedPrices()
{
    PriceTable prices = PriceTable::defaults();
    prices.setPrice(llama, 0.001);
    prices.setPrice(flux, 0.01);
    return prices;
}

struct SeededJobs {
    JobId trail1, cafe, notes, trail2, stuck;
};

class MonitorSeeder {
public:
    explicit MonitorSeeder(JobStore &store)
        : m_store(store)
    {}

    JobId submit(const QString &product, const QString &audience)
    {
        QFile file(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/brief.json"));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        auto brief = briefFromJson(file.readAll());
        if (!brief)
            return {};
        Brief b = brief.value();
        b.productName = product;
        b.audience = audience;
        auto job = submitBrief(m_store, b, QStringLiteral("test"));
        return job ? job.value().id : JobId();
    }

    /**
     * One attempt of @p stepName: the intent now, then its outcome. A succeeded or failed
     * attempt with @p predictSeconds > 0 carries the provider's metrics (created_at, started_at
     * @p startingMs later, predict_time); @p errorType non-empty: failed with it; @p
     * withPrediction false: no prediction id (the create never got through).
     */
    bool attempt(const JobId &job, const QString &stepName, int attempt, const QString &model,
                 CallState state, double predictSeconds = 0, qint64 startingMs = 0,
                 const QString &errorType = {}, bool withPrediction = true)
    {
        auto steps = m_store.steps(job);
        if (!steps)
            return false;
        std::optional<StepRecord> step;
        for (const StepRecord &s : steps.value()) {
            if (s.name == stepName)
                step = s;
        }
        if (!step)
            return false;
        auto call = m_store.recordCallIntent(job, step->id, attempt, model,
                                             QStringLiteral("sha-%1").arg(attempt));
        if (!call)
            return false;
        ProviderCallRecord c = call.value();
        c.state = state;
        if (withPrediction) {
            c.predictionId =
                QStringLiteral("p-%1-%2-%3").arg(job.toString().right(6), stepName).arg(attempt);
            c.submittedAt = c.createdAt;
        }
        if (state == CallState::Succeeded || state == CallState::Failed) {
            // Done as soon as it was asked for plus the provider's own time, so the next step's
            // queue time (its intent minus this step's end) is never negative.
            c.completedAt = c.createdAt.addMSecs(startingMs + qint64(predictSeconds * 1000));
            c.providerStatus = state == CallState::Succeeded ? QStringLiteral("succeeded")
                                                             : QStringLiteral("failed");
        }
        if (predictSeconds > 0) {
            const QDateTime created = c.createdAt.addMSecs(100);
            c.metrics =
                QJsonDocument(
                    QJsonObject{{QStringLiteral("predict_time"), predictSeconds},
                                {QStringLiteral("created_at"), created.toString(Qt::ISODateWithMs)},
                                {QStringLiteral("started_at"),
                                 created.addMSecs(startingMs).toString(Qt::ISODateWithMs)}})
                    .toJson(QJsonDocument::Compact);
        }
        c.errorType = errorType;
        if (!errorType.isEmpty())
            c.errorMessage = QStringLiteral("failed: ") + errorType;
        if (!m_store.updateCall(c))
            return false;
        StepRecord s = *step;
        s.attemptCount = attempt;
        s.startedAt = s.startedAt.isValid() ? s.startedAt : c.createdAt;
        if (state == CallState::Succeeded) {
            s.status = StepStatus::Succeeded;
            s.completedAt = c.createdAt; // see above
            s.errorType.clear();
        } else if (state == CallState::Failed) {
            s.status = StepStatus::Failed;
            s.errorType = errorType;
            s.completedAt = c.createdAt;
        } else {
            s.status = StepStatus::Processing;
        }
        return m_store.updateStep(s).ok();
    }

    bool finishStore(const JobId &job)
    {
        auto steps = m_store.steps(job);
        if (!steps)
            return false;
        StepRecord s = steps.value().last();
        s.status = StepStatus::Succeeded;
        s.attemptCount = 1;
        s.startedAt = s.completedAt = QDateTime::currentDateTimeUtc();
        return m_store.updateStep(s).ok();
    }

    bool setStatus(const JobId &job, JobStatus status, const QString &step,
                   const QString &errorType = {})
    {
        return m_store.updateJobStatus(job, status, step, errorType).ok();
    }

    /**
     * Five jobs (all "today"):
     *  trail1  TrailLite 2 / hikers  succeeded: concept 2.0 s (starting 500 ms), image prompt
     *          1.0 s (300 ms), image 4.0 s (1500 ms), store
     *  cafe    Café Ñandú            failed: concept 2.0 s (400), prompt 1.0 s (300), image
     *          model_error twice (predictions, no run time)
     *  notes   NoteKeeper            failed: concept 3.0 s (800), prompt 1.0 s (300), image
     *          policy_refusal once
     *  trail2  TrailLite 2 / hikers  succeeded after a retry: concept network (no prediction),
     *          then 2.0 s (600); prompt 1.0 s (300); image 5.0 s (2500); store
     *  stuck   Lumen Desk            processing, concept submitted and flagged stuck
     * Plus "recovered" events (stuck twice, trail1 once) and ten webhook deliveries.
     */
    std::optional<SeededJobs> seed()
    {
        SeededJobs j;
        j.trail1 = submit(QStringLiteral("TrailLite 2"), QStringLiteral("Weekend hikers"));
        j.cafe = submit(QStringLiteral("Café Ñandú"), QStringLiteral("Coffee lovers"));
        j.notes = submit(QStringLiteral("NoteKeeper"), QStringLiteral("Students"));
        j.trail2 = submit(QStringLiteral("TrailLite 2"), QStringLiteral("Weekend hikers"));
        j.stuck = submit(QStringLiteral("Lumen Desk"), QStringLiteral("Home workers"));
        const QString conceptStep = QStringLiteral("concept");
        const QString prompt = QStringLiteral("image_prompt");
        const QString image = QStringLiteral("image");
        const auto ok = CallState::Succeeded;
        const auto bad = CallState::Failed;
        const bool seeded =
            !j.stuck.isNull()
            // trail1
            && attempt(j.trail1, conceptStep, 1, llama, ok, 2.0, 500)
            && attempt(j.trail1, prompt, 1, llama, ok, 1.0, 300)
            && attempt(j.trail1, image, 1, flux, ok, 4.0, 1500) && finishStore(j.trail1)
            && setStatus(j.trail1, JobStatus::Succeeded, QStringLiteral("store"))
            // cafe
            && attempt(j.cafe, conceptStep, 1, llama, ok, 2.0, 400)
            && attempt(j.cafe, prompt, 1, llama, ok, 1.0, 300)
            && attempt(j.cafe, image, 1, flux, bad, 0, 0, QStringLiteral("model_error"))
            && attempt(j.cafe, image, 2, flux, bad, 0, 0, QStringLiteral("model_error"))
            && setStatus(j.cafe, JobStatus::Failed, image, QStringLiteral("model_error"))
            // notes
            && attempt(j.notes, conceptStep, 1, llama, ok, 3.0, 800)
            && attempt(j.notes, prompt, 1, llama, ok, 1.0, 300)
            && attempt(j.notes, image, 1, flux, bad, 0, 0, QStringLiteral("policy_refusal"))
            && setStatus(j.notes, JobStatus::Failed, image, QStringLiteral("policy_refusal"))
            // trail2
            && attempt(j.trail2, conceptStep, 1, llama, bad, 0, 0, QStringLiteral("network"), false)
            && attempt(j.trail2, conceptStep, 2, llama, ok, 2.0, 600)
            && attempt(j.trail2, prompt, 1, llama, ok, 1.0, 300)
            && attempt(j.trail2, image, 1, flux, ok, 5.0, 2500) && finishStore(j.trail2)
            && setStatus(j.trail2, JobStatus::Succeeded, QStringLiteral("store"))
            // stuck
            && attempt(j.stuck, conceptStep, 1, llama, CallState::Submitted)
            && setStatus(j.stuck, JobStatus::Processing, conceptStep);
        if (!seeded)
            return std::nullopt;
        auto steps = m_store.steps(j.stuck);
        if (!steps
            || !m_store.setStepStuck(steps.value().first().id, stuckReason, 60'000).valueOr(false))
            return std::nullopt;
        for (const JobId &id : {j.stuck, j.stuck, j.trail1}) {
            if (!m_store.appendEvent(id, StepId(), QStringLiteral("recovered"),
                                     QStringLiteral("taken up again after a restart")))
                return std::nullopt;
        }
        const QList<std::pair<QLatin1String, QString>> deliveries{
            {WebhookOutcomeVerified, {}},
            {WebhookOutcomeVerified, {}},
            {WebhookOutcomeVerified, {}},
            {WebhookOutcomeVerified, {}},
            {WebhookOutcomeVerified, {}},
            {WebhookOutcomeDuplicate, {}},
            {WebhookOutcomeLate, {}},
            {WebhookOutcomeRejected, QStringLiteral("bad_signature")},
            {WebhookOutcomeRejected, QStringLiteral("bad_signature")},
            {WebhookOutcomeRejected, QStringLiteral("stale")},
            {WebhookOutcomeDroppedPolled, {}},
        };
        for (const auto &[outcome, reason] : deliveries) {
            WebhookDeliveryRecord d;
            d.outcome = outcome;
            d.reason = reason;
            if (!m_store.recordWebhookDelivery(d))
                return std::nullopt;
        }
        return j;
    }

private:
    JobStore &m_store;
};

} // namespace brieflow::test
