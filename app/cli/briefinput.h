// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include "core/brief/briefcsv.h"
#include "core/store/records.h"
#include "core/store/storeerror.h"
#include "core/util/result.h"

namespace brieflow {
class JobStore;
}

namespace brieflow::cli {

/** The briefs of one input file (validate, submit, run), each with its problems. */
struct FileBriefs {
    QString file;
    QString readError; ///< set when the file couldn't be read at all
    bool isCsv = false;
    BriefIssues fileIssues;  ///< problems with the whole file (CSV header, JSON syntax)
    QList<CsvBriefRow> rows; ///< CSV: one per data row; JSON: one row, number 0

    bool valid() const;
};

/** Reads a .csv of briefs or one JSON brief; "-" is standard input. */
FileBriefs readBriefs(const QString &file);
QList<FileBriefs> readAllBriefs(const QStringList &files);

/** One line per problem: "[file: ][row N: ][field: ]message". */
void printProblems(const FileBriefs &briefs, bool showFileName);

/** Where a brief came from, for the job's "created" event: "file" or "file, row N". */
QString briefSource(const FileBriefs &briefs, const CsvBriefRow &row);

/**
 * Queues every brief of every file as a pending job, all in one transaction: either all of
 * them are queued or none. The briefs must be valid.
 */
Result<QList<JobRecord>, StoreError> queueBriefs(JobStore &store, const QList<FileBriefs> &all);

} // namespace brieflow::cli
