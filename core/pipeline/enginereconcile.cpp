// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Unknown-outcome creates (reliability-performance.md §5.4): the create may have made a paid
// prediction whose id we never saw. Before anything is sent again, list the provider's recent
// predictions and adopt the one whose canonical input hashes to the intent's.
#include <algorithm>
#include <limits>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include "core/pipeline/engineactive_p.h"
#include "core/util/canonicaljson.h"
#include "pipelineengine.h"

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace brieflow {

namespace {

constexpr int maxListPages = 10;

} // namespace

void PipelineEngine::reconcile(const ActivePtr &a)
{
    const ProviderCallRecord &call = *a->call;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 age = call.createdAt.msecsTo(now);
    if (age > m_options.retentionWindow.count()) {
        // The provider has deleted the inputs by now: a match can't be proven, and guessing
        // could pay twice or adopt a stranger's prediction. The user decides.
        const StepError error{
            QString(StepErrorType::OutcomeUnknown),
            tr("Brieflow lost contact while starting this step more than an hour ago and can "
               "no longer tell whether Replicate ran it. Check your Replicate dashboard, then "
               "retry the step or cancel the job."),
            QStringLiteral("unknown create from %1").arg(call.createdAt.toString(Qt::ISODate))};
        releaseSlot(a);
        if (auto stored = m_ledger.stepNeedsAttention(a->step(), error); !stored) {
            storeFailed(a, stored.error());
            return;
        }
        settle(a);
        return;
    }
    // Round 0 is the first look; rounds 1..reconcileRechecks are the re-checks after settling.
    const qint64 due = a->reconcileRound == 0
                           ? m_options.reconcileFirstLook.count()
                           : m_options.reconcileSettle.count() * a->reconcileRound;
    const qint64 wait = qMax<qint64>(0, due - age);
    if (wait == 0) {
        listForReconcile(a);
        return;
    }
    a->timer = std::make_unique<QTimer>();
    a->timer->setSingleShot(true);
    const JobId job = a->job.id;
    const quint64 generation = a->generation;
    connect(a->timer.get(), &QTimer::timeout, this, [this, job, generation] {
        if (const ActivePtr active = activeFor(job, generation))
            listForReconcile(active);
    });
    a->timer->start(static_cast<int>(wait));
}

void PipelineEngine::listForReconcile(const ActivePtr &a)
{
    PredictionListQuery query;
    query.createdAfter = a->call->createdAt.addMSecs(-m_options.reconcileSkew.count());
    query.maxPages = maxListPages;
    const JobId job = a->job.id;
    const quint64 generation = a->generation;
    a->list = m_provider.listPredictions(
        query, this, [this, job, generation](const ProviderResult<PredictionPage> &result) {
            if (const ActivePtr active = activeFor(job, generation))
                onListed(active, result);
        });
}

void PipelineEngine::onListed(const ActivePtr &a, const ProviderResult<PredictionPage> &result)
{
    a->list = {};
    ProviderCallRecord &call = *a->call;
    if (!result) {
        const StepError error = stepErrorFrom(result.error());
        if (error.pausesQueue()) {
            releaseSlot(a);
            pauseForAttention(a, error);
            return;
        }
        // Keep the call unknown and look again later; never re-send on a guess.
        const int delay = qMin(60'000, 2'000 << qMin(a->reconcileErrors++, 5));
        qCInfo(lcEngine) << "listing for reconciliation failed, again in" << delay
                         << "ms:" << result.error().describe();
        a->timer = std::make_unique<QTimer>();
        a->timer->setSingleShot(true);
        const JobId job = a->job.id;
        const quint64 generation = a->generation;
        connect(a->timer.get(), &QTimer::timeout, this, [this, job, generation] {
            if (const ActivePtr active = activeFor(job, generation))
                listForReconcile(active);
        });
        a->timer->start(delay);
        return;
    }

    // Another job of ours with the same input (two identical briefs) may have a create on its
    // way right now: its prediction can already be in this list while its id is not recorded
    // yet, so adopting it would record one prediction for two calls (and leave ours, if it
    // exists, unowned). Look again once that create has answered.
    for (const ActivePtr &other : std::as_const(m_active)) {
        if (other != a && !other->create.isNull() && other->call
            && other->call->inputSha256 == call.inputSha256) {
            a->timer = std::make_unique<QTimer>();
            a->timer->setSingleShot(true);
            const JobId job = a->job.id;
            const quint64 generation = a->generation;
            connect(a->timer.get(), &QTimer::timeout, this, [this, job, generation] {
                if (const ActivePtr active = activeFor(job, generation))
                    listForReconcile(active);
            });
            a->timer->start(100);
            return;
        }
    }

    QList<Prediction> matches;
    for (const Prediction &p : result->predictions) {
        if (sha256Hex(p.canonicalInput) != call.inputSha256)
            continue;
        // Another intent with the same input (two identical briefs) may own it already.
        const auto owner = m_store.callForPrediction(p.id);
        if (owner && *owner && (*owner)->id != call.id)
            continue;
        matches << p;
    }
    std::sort(matches.begin(), matches.end(),
              [](const Prediction &x, const Prediction &y) { return x.createdAt < y.createdAt; });

    if (!matches.isEmpty()) {
        const Prediction adopted = matches.constFirst();
        const QString note = tr("The prediction started before the connection broke was found "
                                "(%1) and is followed; nothing was sent twice.")
                                 .arg(adopted.id);
        if (auto stored = m_ledger.predictionAdopted(call, adopted.id, note); !stored) {
            storeFailed(a, stored.error());
            return;
        }
        if (matches.size() > 1) {
            const qsizetype keep = unownedClaims(call);
            if (matches.size() > keep)
                cancelDuplicates(a, adopted, matches.mid(keep));
        }
        markDirty(a->job.id);
        follow(a, &adopted, adopted.id);
        return;
    }

    if (a->reconcileRound < m_options.reconcileRechecks) {
        // Nothing yet: the provider may not list it at once. Look again after settling.
        ++a->reconcileRound;
        reconcile(a);
        return;
    }
    const StepError notCreated{
        QString(StepErrorType::NotCreated),
        tr("The earlier request never reached Replicate; sending it "
           "again."),
        QStringLiteral("no prediction matches input %1").arg(call.inputSha256)};
    if (auto stored = m_ledger.callFailed(call, notCreated); !stored) {
        storeFailed(a, stored.error());
        return;
    }
    releaseSlot(a);
    advance(a);
}

qsizetype PipelineEngine::unownedClaims(const ProviderCallRecord &call)
{
    // Our own calls with the same input whose outcome is open too (two identical briefs whose
    // creates both broke): each of them owns one of the matches without knowing it yet, and
    // will adopt it when it reconciles. Only the matches beyond them are duplicates.
    const auto open = m_store.unsettledCalls();
    if (!open) {
        qCWarning(lcEngine) << "could not read the open calls; no duplicate is canceled:"
                            << open.error().message;
        return std::numeric_limits<qsizetype>::max();
    }
    qsizetype claims = 1; // this call's
    for (const ProviderCallRecord &other : *open) {
        if (other.id != call.id && other.inputSha256 == call.inputSha256
            && other.predictionId.isEmpty()
            && (other.state == CallState::Creating || other.state == CallState::Unknown))
            ++claims;
    }
    return claims;
}

void PipelineEngine::cancelDuplicates(const ActivePtr &a, const Prediction &adopted,
                                      const QList<Prediction> &duplicates)
{
    // Several predictions carry this step's exact input and none is ours yet: the provider ran
    // the create more than once (or a create we thought failed did land). Keep the oldest,
    // stop paying for the rest, and tell the user — this is money spent that they didn't ask
    // for.
    QStringList ids;
    for (const Prediction &p : duplicates)
        ids << p.id;
    const QString extra =
        ids.size() == 1 ? tr("an extra prediction") : tr("%1 extra predictions").arg(ids.size());
    const QString message =
        tr("Replicate had %1 for this step with exactly the same input (%2), probably from a "
           "request that timed out. Brieflow kept the first one (%3) and asked Replicate to "
           "cancel the rest; if they had already finished, they may have been charged.")
            .arg(extra, ids.join(QStringLiteral(", ")), adopted.id);
    const QByteArray data =
        QJsonDocument(QJsonObject{
                          {QStringLiteral("adopted"), adopted.id},
                          {QStringLiteral("canceled"), QJsonArray::fromStringList(ids)},
                      })
            .toJson(QJsonDocument::Compact);
    qCWarning(lcEngine).noquote() << "job" << a->job.id.toString() << a->step().name
                                  << "duplicate predictions" << ids.join(QStringLiteral(","))
                                  << "adopted" << adopted.id;
    if (auto stored =
            m_ledger.note(a->job.id, a->step().id, QStringLiteral("incident"), message, data);
        !stored) {
        qCWarning(lcEngine) << "could not record the incident:" << stored.error().message;
    }
    for (const QString &id : std::as_const(ids)) {
        // Reads are retried inside the client; a cancel that still fails leaves the duplicate
        // running to its end (it is in the incident either way).
        m_provider.cancelPrediction(id, this, [id](const ProviderResult<Prediction> &result) {
            if (!result) {
                qCWarning(lcEngine).noquote()
                    << "could not cancel duplicate prediction" << id << result.error().describe();
            }
        });
    }
    Q_EMIT incident(a->job.id, message);
}

} // namespace brieflow
