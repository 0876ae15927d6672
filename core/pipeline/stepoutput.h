// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/store/records.h"

// The JSON a step stores as its output payload, written and read only through these functions:
//   text step:  {"text": "...", "edited": true?}
//   image step: {"images": [{"output_id", "path", "sha256", "mime", "width", "height"}]}
//   store step: {"images": n}
// and the job's output payload (set by the store step):
//   {"texts": {"<step>": "..."}, "images": [{"path", "sha256", "mime", "width", "height"}]}

namespace brieflow {

QByteArray textStepOutput(const QString &text, bool edited = false);
/** The text of a text step's output; empty for anything else. */
QString textOfStepOutput(const QByteArray &payload);

QByteArray imageStepOutput(const QList<OutputRecord> &images);
/** The output ids an image step's payload lists, in order. */
QList<OutputId> outputIdsOfStepOutput(const QByteArray &payload);

/** The job's final summary: every text step's text and the images, in order. */
QByteArray jobOutput(const QList<QPair<QString, QString>> &texts,
                     const QList<OutputRecord> &images);

} // namespace brieflow
