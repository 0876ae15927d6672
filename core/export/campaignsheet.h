// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/export/lineage.h"
#include "core/util/result.h"

namespace brieflow {

/** What one campaign sheet shows: one job's brief, concept and prompt, and its images. */
struct CampaignSheet {
    QList<ImageLineage> images; ///< of one job, in order; the brief and texts come from the first
    QStringList imageFiles;     ///< the stored originals, parallel to images
    QDate date;                 ///< printed in the footer; invalid: today
};

/**
 * Renders @p sheet as a one-page A4 PDF (QPdfWriter + QPainter): the product name, the brief's
 * fields, the concept, the image prompt, the images scaled into a grid, the models that ran and
 * a footer "AI-generated images · Made with Brieflow" with the date. The PDF's title is the
 * product name. Long texts are cut to fit the page. Needs a QGuiApplication (fonts); safe on a
 * worker thread. Returns the PDF's bytes.
 */
Result<QByteArray, QString> renderCampaignSheet(const CampaignSheet &sheet);

} // namespace brieflow
