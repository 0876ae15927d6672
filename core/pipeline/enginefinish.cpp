// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A succeeded prediction's outputs become the step's output: text is checked, images are
// downloaded at once (Replicate deletes them after an hour) and stored by SHA-256; the store
// step then checks every file and writes the job's summary. A full disk keeps the step waiting
// (the prediction is kept) and the images are fetched again once there is space.
#include <QCryptographicHash>
#include <QFile>
#include <QLoggingCategory>
#include <QStorageInfo>
#include <QTimer>

#include "core/outputs/outputdownloader.h"
#include "core/pipeline/engineactive_p.h"
#include "core/pipeline/stepoutput.h"
#include "core/workflow/outputcheck.h"
#include "pipelineengine.h"

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace brieflow {

namespace {

constexpr int maxDownloadRounds = 5;
/// Below this much free space a full disk is taken as still full (no download is tried).
constexpr qint64 kMinFreeBytes = 1024 * 1024;

QString fileSha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return {};
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace

void PipelineEngine::finishText(const ActivePtr &a, const Prediction &prediction)
{
    const auto checked = checkStepOutput(*a->definition, prediction.outputText);
    if (!checked) {
        if (auto stored = m_ledger.callFinished(*a->call, prediction, nullptr); !stored) {
            storeFailed(a, stored.error());
            return;
        }
        const StepError error{QString(StepErrorType::OutputRejected), checked.error(),
                              QStringLiteral("prediction %1").arg(prediction.id)};
        attemptFailed(a, error);
        return;
    }
    {
        // The call's final state and the step's output commit together.
        auto batch = m_ledger.store().beginBatch();
        if (!batch) {
            storeFailed(a, batch.error());
            return;
        }
        if (auto stored = m_ledger.callFinished(*a->call, prediction, nullptr); !stored) {
            storeFailed(a, stored.error());
            return;
        }
        if (auto stored = m_ledger.stepSucceeded(a->step(), textStepOutput(*checked), {});
            !stored) {
            storeFailed(a, stored.error());
            return;
        }
        if (auto committed = batch->commit(); !committed) {
            storeFailed(a, committed.error());
            return;
        }
    }
    Q_EMIT stepTextUpdated(a->job.id, a->step().name, *checked);
    advance(a);
}

void PipelineEngine::downloadImages(const ActivePtr &a, const Prediction &prediction)
{
    if (prediction.dataRemoved || prediction.outputFiles.isEmpty()) {
        const StepError error{
            QString(StepErrorType::OutputExpired),
            prediction.dataRemoved
                ? tr("The images were deleted by Replicate before Brieflow could download them "
                     "(it keeps them for an hour). Retry the step to make new ones.")
                : tr("The model finished without any image."),
            QStringLiteral("prediction %1 data_removed=%2 files=%3")
                .arg(prediction.id)
                .arg(prediction.dataRemoved)
                .arg(prediction.outputFiles.size())};
        // Never re-created automatically: that would pay again without the user's say.
        if (auto stored = m_ledger.stepFailed(a->step(), error); !stored) {
            storeFailed(a, stored.error());
            return;
        }
        settle(a);
        return;
    }
    a->finished = prediction;
    a->downloads.clear();
    a->fetched =
        QList<std::optional<Result<StoredOutput, OutputError>>>(prediction.outputFiles.size());
    // Counted per prediction across the job's comings and goings (a retry drops the Active).
    a->downloadRounds = ++m_downloadRounds[prediction.id];
    const JobId job = a->job.id;
    const quint64 generation = a->generation;
    for (qsizetype i = 0; i < prediction.outputFiles.size(); ++i) {
        a->downloads << m_downloader.fetch(
            prediction.outputFiles.at(i), this,
            [this, job, generation, i](const Result<StoredOutput, OutputError> &result) {
                const ActivePtr active = activeFor(job, generation);
                if (!active || i >= active->fetched.size())
                    return;
                active->fetched[i] = result;
                onImagesFetched(active);
            });
    }
}

void PipelineEngine::onImagesFetched(const ActivePtr &a)
{
    for (const auto &slot : std::as_const(a->fetched)) {
        if (!slot)
            return; // still waiting for one
    }
    a->downloads.clear();
    const OutputError *problem = nullptr;
    for (const auto &slot : std::as_const(a->fetched)) {
        if (!*slot) {
            problem = &slot->error();
            break;
        }
    }
    if (problem) {
        if (problem->kind == OutputError::Kind::Storage) {
            m_downloadRounds.remove(a->predictionId); // not the network's fault
            waitForSpace(a, *problem);
            return;
        }
        const StepError error{toString(problem->kind), problem->message, problem->detail};
        if (problem->retryable() && a->downloadRounds < maxDownloadRounds) {
            // The prediction stays succeeded at the provider: fetch again, never re-create.
            const qint64 delay = m_options.downloadRetryDelay.count() << (a->downloadRounds - 1);
            if (auto stored = m_ledger.retryScheduled(
                    a->step(), error, QDateTime::currentDateTimeUtc().addMSecs(delay));
                !stored) {
                storeFailed(a, stored.error());
                return;
            }
            drop(a); // the job comes back after run_after and reads the prediction again
            return;
        }
        m_downloadRounds.remove(a->predictionId);
        if (auto stored = m_ledger.stepFailed(a->step(), error); !stored) {
            storeFailed(a, stored.error());
            return;
        }
        settle(a);
        return;
    }

    QList<OutputRecord> records;
    for (qsizetype i = 0; i < a->fetched.size(); ++i) {
        const StoredOutput &file = a->fetched.at(i)->value();
        OutputRecord record;
        record.id = OutputId::generate();
        record.kind = QStringLiteral("image");
        record.filePath = file.filePath;
        record.sha256 = file.sha256;
        record.mime = file.mime;
        record.width = file.width;
        record.height = file.height;
        record.bytes = file.bytes;
        record.sourceUrl = file.sourceUrl;
        record.createdAt = QDateTime::currentDateTimeUtc();
        records << record;
    }
    a->fetched.clear();
    m_downloadRounds.remove(a->predictionId);
    a->finished.reset();
    if (auto stored = m_ledger.stepSucceeded(a->step(), imageStepOutput(records), records);
        !stored) {
        storeFailed(a, stored.error());
        return;
    }
    advance(a);
}

void PipelineEngine::waitForSpace(const ActivePtr &a, const OutputError &problem)
{
    // The prediction succeeded and stays paid for: keep it, look for space now and then, and
    // download again once there is some. Never re-created; the user need not do anything.
    const std::chrono::milliseconds recheck =
        std::max(std::chrono::milliseconds(50), m_downloader.policy().diskFullRecheck);
    const int seconds = static_cast<int>(std::max<qint64>(1, (recheck.count() + 999) / 1000));
    const StepError error{
        toString(problem.kind),
        problem.diskFull
            ? tr("The disk is full, so Brieflow could not save the image. Free some space: "
                 "Brieflow looks again every %n second(s) and then finishes the download by "
                 "itself, without running the model again.",
                 nullptr, seconds)
            : tr("Brieflow could not save the image to its outputs folder. Check that the folder "
                 "can be written to: Brieflow tries again every %n second(s) by itself, without "
                 "running the model again.",
                 nullptr, seconds),
        problem.detail};
    a->downloadRounds = 0;
    // Written once per problem, not on every look: a full disk may refuse the database too.
    if (a->step().errorType != error.type || a->step().errorMessage != error.message) {
        qCWarning(lcEngine) << "job" << a->job.id.toString() << a->step().name
                            << "waits for disk space:" << problem.logText();
        if (auto stored = m_ledger.retryScheduled(
                a->step(), error, QDateTime::currentDateTimeUtc().addMSecs(recheck.count()));
            !stored) {
            storeFailed(a, stored.error()); // resumes from the store once writes work again
            return;
        }
        markDirty(a->job.id);
    }
    const JobId job = a->job.id;
    const quint64 generation = a->generation;
    a->timer = std::make_unique<QTimer>();
    a->timer->setSingleShot(true);
    connect(a->timer.get(), &QTimer::timeout, this, [this, job, generation, recheck] {
        const ActivePtr active = activeFor(job, generation);
        if (!active || !active->finished)
            return;
        if (canceledElsewhere(active)) {
            settle(active);
            return;
        }
        // Still (almost) no space on a volume that reports it: don't fetch just to fail again.
        const QStorageInfo volume(m_downloader.storage().outputsDir());
        if (volume.isValid() && volume.bytesAvailable() >= 0
            && volume.bytesAvailable() < kMinFreeBytes) {
            active->timer->start(recheck);
            return;
        }
        qCInfo(lcEngine) << "job" << job.toString() << "downloads its images again";
        const Prediction prediction = *active->finished;
        downloadImages(active, prediction);
    });
    a->timer->start(recheck);
}

void PipelineEngine::runStoreStep(const ActivePtr &a)
{
    QList<QPair<QString, QString>> texts;
    QList<OutputId> wanted;
    for (qsizetype i = 0; i < a->index; ++i) {
        const StepRecord &s = a->steps.at(i);
        const StepDefinition *d = m_workflow.step(s.name);
        if (!d)
            continue;
        if (d->kind == StepKind::Text)
            texts.append({s.name, textOfStepOutput(s.outputPayload)});
        else if (d->kind == StepKind::Image)
            wanted << outputIdsOfStepOutput(s.outputPayload);
    }
    const auto all = m_store.outputs(a->job.id);
    if (!all) {
        storeFailed(a, all.error());
        return;
    }
    QList<OutputRecord> images;
    for (const OutputId &id : std::as_const(wanted)) {
        const auto it = std::find_if(all->cbegin(), all->cend(),
                                     [&id](const OutputRecord &o) { return o.id == id; });
        if (it != all->cend())
            images << *it;
    }
    QStringList problems;
    if (images.size() != wanted.size())
        problems << tr("%n image record(s) are missing", nullptr,
                       static_cast<int>(wanted.size() - images.size()));
    for (const OutputRecord &image : std::as_const(images)) {
        if (fileSha256(image.filePath) != image.sha256)
            problems << tr("%1 is missing or changed").arg(image.filePath);
    }
    if (!problems.isEmpty()) {
        const StepError error{QString(StepErrorType::OutputMissing),
                              tr("Stored images are missing or damaged: %1. Retry from the image "
                                 "step to make them again.")
                                  .arg(problems.join(QStringLiteral("; "))),
                              {}};
        if (auto stored = m_ledger.stepFailed(a->step(), error); !stored) {
            storeFailed(a, stored.error());
            return;
        }
        settle(a);
        return;
    }
    const QByteArray summary = jobOutput(texts, images);
    StepRecord &step = a->step();
    step.startedAt = QDateTime::currentDateTimeUtc();
    step.attemptCount += 1;
    if (auto stored = m_ledger.stepSucceeded(
            step, QByteArrayLiteral("{\"images\":") + QByteArray::number(images.size()) + '}', {},
            summary);
        !stored) {
        storeFailed(a, stored.error());
        return;
    }
    advance(a);
}

} // namespace brieflow
