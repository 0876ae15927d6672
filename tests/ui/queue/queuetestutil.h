// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QImage>
#include <QString>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/store/jobstore.h"

// Seeding helpers shared by the queue and job detail tests.

namespace brieflow::test {

inline Brief briefFor(const QString &product)
{
    Brief b;
    b.productName = product;
    b.audience = QStringLiteral("Busy parents");
    b.valueProposition = QStringLiteral("Saves ten minutes every morning.");
    return b;
}

/** A campaign job like submitBrief() makes, without validation (fast, for thousands). */
inline JobRecord addJob(JobStore &store, const QString &product)
{
    auto job = store.createJob(
        {CampaignWorkflow::type(), briefToJson(briefFor(product)), CampaignWorkflow::stepNames()});
    return job ? *job : JobRecord();
}

/** @p count jobs "Product 0000".. in one transaction. */
inline bool addJobs(JobStore &store, int count, int from = 0)
{
    auto batch = store.beginBatch();
    if (!batch)
        return false;
    for (int i = from; i < from + count; ++i) {
        if (addJob(store, QStringLiteral("Product %1").arg(i, 6, 10, QLatin1Char('0'))).id.isNull())
            return false;
    }
    return batch->commit().ok();
}

inline bool setStatus(JobStore &store, const JobId &id, JobStatus status, const QString &step = {})
{
    return store.updateJobStatus(id, status, step).ok();
}

/** Writes a @p size PNG at @p path. */
inline bool writeImage(const QString &path, QSize size, const QColor &colour)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(colour);
    return image.save(path, "png");
}

} // namespace brieflow::test
