// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/store/jobstore.h"

// Seeding the gallery's tests: jobs with hand-made image outputs, written the way the engine
// leaves them (a PNG under the outputs folder, its SHA-256, the image step's succeeded call).

namespace brieflow::test {

inline Brief galleryBrief(const QString &product)
{
    Brief b;
    b.productName = product;
    b.audience = QStringLiteral("Trail runners");
    b.valueProposition = QStringLiteral("Light enough to forget you carry it.");
    return b;
}

/** A campaign job whose concept and image-prompt steps succeeded with these texts. */
inline JobRecord
addGalleryJob(JobStore &store, const QString &product, JobStatus status = JobStatus::Succeeded,
              const QString &conceptText = QStringLiteral("Run lighter."),
              const QString &imagePrompt = QStringLiteral("A runner on a ridge at dawn, photo"))
{
    auto job = store.createJob({CampaignWorkflow::type(), briefToJson(galleryBrief(product)),
                                CampaignWorkflow::stepNames()});
    if (!job)
        return {};
    auto steps = store.steps(job->id);
    if (!steps)
        return {};
    for (StepRecord step : steps.value()) {
        QString text;
        if (step.name == QLatin1String("concept"))
            text = conceptText;
        else if (step.name == QLatin1String("image_prompt"))
            text = imagePrompt;
        else
            continue;
        step.status = StepStatus::Succeeded;
        step.attemptCount = 1;
        step.outputPayload = QJsonDocument(QJsonObject{{QStringLiteral("text"), text}})
                                 .toJson(QJsonDocument::Compact);
        if (!store.updateStep(step))
            return {};
    }
    if (!store.updateJobStatus(job->id, status, {}))
        return {};
    return *store.job(job->id).value();
}

/**
 * An image output of @p job: a @p size PNG in @p colour written to @p dir, made at @p created by
 * @p modelRef (a succeeded call of the image step; empty: none recorded).
 */
inline OutputRecord addGalleryImage(JobStore &store, const QString &dir, const JobRecord &job,
                                    const QColor &colour, const QDateTime &created,
                                    const QString &modelRef = QStringLiteral("acme/painter"),
                                    QSize size = QSize(64, 48))
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(colour);
    QDir().mkpath(dir);
    const QString name = QStringLiteral("%1-%2-%3.png")
                             .arg(job.id.toString(), colour.name().mid(1))
                             .arg(created.toMSecsSinceEpoch());
    const QString path = QDir(dir).filePath(name);
    if (!image.save(path, "png"))
        return {};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    StepId imageStep;
    const auto steps = store.steps(job.id);
    if (!steps)
        return {};
    for (const StepRecord &step : steps.value()) {
        if (step.name == QLatin1String("image"))
            imageStep = step.id;
    }
    if (!modelRef.isEmpty()) {
        const auto calls = store.calls(imageStep);
        if (calls && calls->isEmpty()) {
            auto call = store.recordCallIntent(job.id, imageStep, 1, modelRef, QStringLiteral("0"));
            if (!call)
                return {};
            call->state = CallState::Succeeded;
            call->predictionId = QStringLiteral("p-") + job.id.toString();
            if (!store.updateCall(*call))
                return {};
        }
    }
    OutputRecord output;
    output.jobId = job.id;
    output.stepId = imageStep;
    output.kind = QStringLiteral("image");
    output.filePath = path;
    output.sha256 =
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    output.mime = QStringLiteral("image/png");
    output.width = size.width();
    output.height = size.height();
    output.bytes = bytes.size();
    output.createdAt = created;
    auto added = store.addOutput(output);
    return added ? *added : OutputRecord();
}

} // namespace brieflow::test
