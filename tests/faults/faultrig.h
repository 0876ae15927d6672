// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared pieces of the fault suite (tests/faults): CI vs long-run sizes, the one JSON line each
// case prints, percentiles, distinct briefs, and the duplicate/orphan count over a sandbox and a
// store. The engine rig itself is tests/pipeline/enginerig.h.

#include <algorithm>
#include <cstdio>
#include <functional>

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include "tests/pipeline/enginerig.h"

namespace brieflow::test {

/** BRIEFLOW_FAULTS_LONG=1: the long run (issue 7's long-run counts) instead of the CI one. */
inline bool faultsLongRun()
{
    return qEnvironmentVariableIntValue("BRIEFLOW_FAULTS_LONG") == 1;
}

/** @p ci in CI, @p longRun with BRIEFLOW_FAULTS_LONG=1. */
inline int faultsCount(int ci, int longRun)
{
    return faultsLongRun() ? longRun : ci;
}

/** Prints @p report as one compact JSON line on stdout (what scripts/run-faults collects). */
inline void printFaultReport(const QString &caseName, QJsonObject report)
{
    report.insert(QStringLiteral("case"), caseName);
    report.insert(QStringLiteral("mode"),
                  faultsLongRun() ? QStringLiteral("long") : QStringLiteral("ci"));
    std::printf("FAULTS %s\n", QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

/** p50, p95 and max of a list of durations (nearest rank). */
struct Percentiles {
    qint64 p50 = -1;
    qint64 p95 = -1;
    qint64 max = -1;

    static Percentiles of(QList<qint64> values)
    {
        Percentiles p;
        if (values.isEmpty())
            return p;
        std::sort(values.begin(), values.end());
        const auto rank = [&values](double q) {
            const auto i = static_cast<qsizetype>(std::ceil(q * double(values.size()))) - 1;
            return values.at(std::clamp<qsizetype>(i, 0, values.size() - 1));
        };
        p.p50 = rank(0.50);
        p.p95 = rank(0.95);
        p.max = values.constLast();
        return p;
    }
    QJsonObject json() const
    {
        return {{QStringLiteral("p50"), p50},
                {QStringLiteral("p95"), p95},
                {QStringLiteral("max"), max}};
    }
};

/**
 * Queues a job from the example brief whose brand notes carry @p variant, so every job's inputs
 * differ at every step (a second create of one input is then always a duplicate).
 */
inline JobId submitVariant(EngineRig &rig, int variant)
{
    QFile file(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/brief.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    auto brief = briefFromJson(file.readAll());
    if (!brief)
        return {};
    brief->brandNotes += QStringLiteral("\nFault-suite variant %1.").arg(variant);
    auto job = submitBrief(*rig.store, *brief, QStringLiteral("faults"));
    return job ? job->id : JobId();
}

/**
 * Builds the rig's client and engine like EngineRig::makeEngine(), but with the product's
 * client defaults (retry delays, timeouts) unless @p adjust changes them.
 */
inline void
makeEngineWithClient(EngineRig &rig,
                     const std::function<void(replicate::ReplicateClient::Options &)> &adjust = {})
{
    rig.engine.reset();
    rig.client.reset();
    replicate::ReplicateClient::Options o;
    o.baseUrl = rig.server->baseUrl();
    o.token = [&rig] { return rig.token; };
    if (adjust)
        adjust(o);
    rig.client = std::make_unique<replicate::ReplicateClient>(o);
    rig.engine =
        std::make_unique<PipelineEngine>(*rig.store, *rig.client, *rig.downloader, rig.workflow,
                                         rig.options, SteadyClock::instance());
}

/**
 * What the sandbox created against what the store recorded. A duplicate is a paid prediction
 * for an intent (a job step's call) that already had one (reliability-performance.md §8): every
 * prediction the sandbox made must belong to exactly one call row, so duplicates = predictions no
 * call row owns + call rows sharing another's prediction. (Counting creates per input would call
 * two different jobs whose image prompts happen to be equal "duplicates"; those are reported as
 * inputsCreatedTwice, for information.)
 */
struct CreateAudit {
    int predictionsCreated = 0;  ///< by the sandbox
    int duplicates = 0;          ///< orphans + sharedIds
    int inputsCreatedTwice = 0;  ///< creates beyond the first of one input, any job
    int recordedIds = 0;         ///< distinct prediction ids in the store's call rows
    int sharedIds = 0;           ///< call rows that repeat another row's prediction id
    int idsUnknownToSandbox = 0; ///< recorded ids the sandbox never created
    int orphans = 0;             ///< sandbox predictions no call row owns
    QStringList inputDetails;    ///< for inputsCreatedTwice

    static CreateAudit of(EngineRig &rig, const QList<JobId> &jobs)
    {
        CreateAudit audit;
        const sandbox::StatsSnapshot &stats = rig.server->stats();
        audit.predictionsCreated = stats.predictionsCreated;
        for (const int n : stats.createsPerInput)
            audit.inputsCreatedTwice += std::max(0, n - 1);
        QSet<QString> ids;
        for (const JobId &job : jobs) {
            for (const StepRecord &step : rig.steps(job)) {
                const QList<ProviderCallRecord> calls = rig.store->calls(step.id).value();
                for (const ProviderCallRecord &call : calls) {
                    if (call.predictionId.isEmpty())
                        continue;
                    if (ids.contains(call.predictionId))
                        ++audit.sharedIds;
                    ids.insert(call.predictionId);
                    if (!rig.server->prediction(call.predictionId))
                        ++audit.idsUnknownToSandbox;
                }
            }
        }
        audit.recordedIds = static_cast<int>(ids.size());
        // Which calls own the predictions of an input created more than once.
        for (auto it = stats.createsPerInput.cbegin(); it != stats.createsPerInput.cend(); ++it) {
            if (it.value() < 2)
                continue;
            QStringList owners;
            for (const sandbox::Prediction *p : rig.server->predictions()) {
                if (p->inputKey == it.key())
                    owners << p->id;
            }
            audit.inputDetails << QStringLiteral("input %1 created %2 times: %3")
                                      .arg(it.key().left(12))
                                      .arg(it.value())
                                      .arg(owners.join(QStringLiteral(", ")));
        }
        for (const sandbox::Prediction *p : rig.server->predictions()) {
            if (!ids.contains(p->id))
                ++audit.orphans;
        }
        audit.duplicates = audit.orphans + audit.sharedIds;
        return audit;
    }
    bool clean() const
    {
        return duplicates == 0 && sharedIds == 0 && idsUnknownToSandbox == 0 && orphans == 0;
    }
    void addTo(QJsonObject &report) const
    {
        report.insert(QStringLiteral("sandbox_predictions_created"), predictionsCreated);
        report.insert(QStringLiteral("duplicate_predictions"), duplicates);
        report.insert(QStringLiteral("inputs_created_more_than_once_across_jobs"),
                      inputsCreatedTwice);
        report.insert(QStringLiteral("recorded_prediction_ids"), recordedIds);
        report.insert(QStringLiteral("shared_prediction_ids"), sharedIds);
        report.insert(QStringLiteral("ids_unknown_to_sandbox"), idsUnknownToSandbox);
        report.insert(QStringLiteral("orphan_predictions"), orphans);
    }
};

/** Files left in the outputs folder's partial-download area. */
inline int strayPartialFiles(const EngineRig &rig)
{
    const QDir partial(rig.dir.paths().outputsDir() + QStringLiteral("/.partial"));
    return partial.exists() ? static_cast<int>(
               partial.entryList(QDir::Files | QDir::Hidden | QDir::System).size())
                            : 0;
}

/** API requests (the rate-limited ones: /v1/… except streams) the sandbox received. */
inline int apiRequests(const sandbox::StatsSnapshot &stats)
{
    int n = 0;
    for (auto it = stats.requestsPerEndpoint.cbegin(); it != stats.requestsPerEndpoint.cend();
         ++it) {
        const QString path = it.key().section(QLatin1Char(' '), 1);
        if (path.startsWith(QLatin1String("/v1/"))
            && !path.startsWith(QLatin1String("/v1/streams/")))
            n += it.value();
    }
    return n;
}

} // namespace brieflow::test
