// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "enginehost.h"

#include <QThread>

#include "core/outputs/outputdownloader.h"
#include "core/outputs/outputstorage.h"
#include "core/pipeline/enginehostworker_p.h"
#include "core/pipeline/pipelineengine.h"
#include "core/replicate/replicateclient.h"
#include "core/store/jobstore.h"
#include "core/util/clock.h"
#include "core/workflow/workflow.h"

namespace brieflow {

EngineHost::EngineHost(Config config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    qRegisterMetaType<brieflow::JobId>();
    qRegisterMetaType<QList<brieflow::JobId>>();
    qRegisterMetaType<brieflow::JobStatus>();
    qRegisterMetaType<brieflow::EngineProblem>();
    qRegisterMetaType<brieflow::WebhookServiceStats>();
}

EngineHost::~EngineHost()
{
    stop();
}

bool EngineHost::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

void EngineHost::start()
{
    if (m_thread)
        return;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("brieflow-engine"));
    m_worker = new Worker(m_config);
    m_worker->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &Worker::queueBusy, this, &EngineHost::queueBusy);
    connect(m_worker, &Worker::started, this, &EngineHost::started);
    connect(m_worker, &Worker::jobsChanged, this, &EngineHost::jobsChanged);
    connect(m_worker, &Worker::jobSettled, this, &EngineHost::jobSettled);
    connect(m_worker, &Worker::stepTextUpdated, this, &EngineHost::stepTextUpdated);
    connect(m_worker, &Worker::attentionChanged, this, &EngineHost::attentionChanged);
    connect(m_worker, &Worker::idle, this, &EngineHost::idle);
    connect(m_worker, &Worker::rateLimited, this, &EngineHost::rateLimited);
    connect(m_worker, &Worker::incident, this, &EngineHost::incident);
    connect(m_worker, &Worker::actionFinished, this, &EngineHost::actionFinished);
    connect(m_worker, &Worker::webhooksStarted, this, &EngineHost::webhooksStarted);
    connect(m_worker, &Worker::webhooksProblem, this, &EngineHost::webhooksProblem);
    connect(m_worker, &Worker::webhookStatsReady, this, &EngineHost::webhookStats);
    m_thread->start();
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker] { worker->init(); }, Qt::QueuedConnection);
}

void EngineHost::stop()
{
    if (!m_thread)
        return;
    Worker *worker = m_worker;
    // Shut down on the engine thread, where the store and the network objects live.
    QMetaObject::invokeMethod(
        worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_worker = nullptr;
}

void EngineHost::wake()
{
    if (Worker *worker = m_worker) {
        QMetaObject::invokeMethod(worker, [worker] {
            if (PipelineEngine *engine = worker->engine())
                engine->wake();
        });
    }
}

void EngineHost::retry(const RetryRequest &request)
{
    if (Worker *worker = m_worker) {
        QMetaObject::invokeMethod(worker, [worker, request] {
            PipelineEngine *engine = worker->engine();
            if (!engine) {
                Q_EMIT worker->actionFinished(request.job, QStringLiteral("retry"), false,
                                              tr("The engine is not running."));
                return;
            }
            const auto result = engine->retry(request);
            Q_EMIT worker->actionFinished(request.job, QStringLiteral("retry"), bool(result),
                                          result ? QString() : result.error().message);
        });
    }
}

void EngineHost::cancel(const JobId &job)
{
    if (Worker *worker = m_worker) {
        QMetaObject::invokeMethod(worker, [worker, job] {
            PipelineEngine *engine = worker->engine();
            if (!engine) {
                Q_EMIT worker->actionFinished(job, QStringLiteral("cancel"), false,
                                              tr("The engine is not running."));
                return;
            }
            const auto result = engine->cancel(job);
            Q_EMIT worker->actionFinished(job, QStringLiteral("cancel"), bool(result),
                                          result ? QString() : result.error().message);
        });
    }
}

void EngineHost::keepWaiting(const JobId &job)
{
    if (Worker *worker = m_worker) {
        QMetaObject::invokeMethod(worker, [worker, job] {
            PipelineEngine *engine = worker->engine();
            if (!engine) {
                Q_EMIT worker->actionFinished(job, QStringLiteral("keep_waiting"), false,
                                              tr("The engine is not running."));
                return;
            }
            const auto result = engine->keepWaiting(job);
            Q_EMIT worker->actionFinished(job, QStringLiteral("keep_waiting"), bool(result),
                                          result ? QString() : result.error().message);
        });
    }
}

void EngineHost::tokenChanged()
{
    if (Worker *worker = m_worker) {
        QMetaObject::invokeMethod(worker, [worker] {
            if (PipelineEngine *engine = worker->engine())
                engine->tokenChanged();
        });
    }
}

void EngineHost::setModelOverrides(const QHash<QString, QString> &overrides)
{
    if (Worker *worker = m_worker) {
        QMetaObject::invokeMethod(worker, [worker, overrides] {
            if (PipelineEngine *engine = worker->engine())
                engine->setModelOverrides(overrides);
        });
    }
}

void EngineHost::setPollBudget(double perSecond)
{
    if (Worker *worker = m_worker) {
        QMetaObject::invokeMethod(worker, [worker, perSecond] {
            if (PipelineEngine *engine = worker->engine())
                engine->setPollBudget(perSecond);
        });
    }
}

void EngineHost::setPaused(bool paused)
{
    if (Worker *worker = m_worker) {
        QMetaObject::invokeMethod(worker, [worker, paused] {
            if (PipelineEngine *engine = worker->engine())
                engine->setPaused(paused);
        });
    }
}

void EngineHost::setConcurrency(int maxJobs, int maxPredictionsInFlight)
{
    if (Worker *worker = m_worker) {
        QMetaObject::invokeMethod(worker, [worker, maxJobs, maxPredictionsInFlight] {
            if (PipelineEngine *engine = worker->engine())
                engine->setConcurrency(maxJobs, maxPredictionsInFlight);
        });
    }
}

void EngineHost::setCostSettings(const PriceTable &prices, double dailyBudgetUsd)
{
    m_config.options.prices = prices; // also for the next start()
    m_config.options.dailyBudgetUsd = dailyBudgetUsd;
    if (Worker *worker = m_worker) {
        QMetaObject::invokeMethod(worker, [worker, prices, dailyBudgetUsd] {
            if (PipelineEngine *engine = worker->engine())
                engine->setCostSettings(prices, dailyBudgetUsd);
        });
    }
}

void EngineHost::requestWebhookStats()
{
    if (Worker *worker = m_worker) {
        QMetaObject::invokeMethod(
            worker, [worker] { Q_EMIT worker->webhookStatsReady(worker->webhookStats()); });
    }
}

} // namespace brieflow
