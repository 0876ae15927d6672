// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>

#include "core/brief/brief.h"

namespace brieflow {

/** The largest CSV file briefsFromCsv() reads. */
inline constexpr qsizetype MaxBriefCsvBytes = 10 * 1024 * 1024;
/** The most briefs one CSV file may hold. */
inline constexpr int MaxBriefCsvRows = 10000;

/**
 * One brief row of a CSV file. @c row is the row number a spreadsheet shows: the header is row 1,
 * the first brief row 2, and blank lines count too. @c brief is the normalised brief as far as it
 * could be read; it is usable only when @c issues is empty.
 */
struct CsvBriefRow {
    int row = 0;
    Brief brief;
    BriefIssues issues;
};

/**
 * The result of reading a CSV file of briefs: problems with the file or its header row in
 * @c fileIssues, then one entry per non-blank row after the header, each with its own issues.
 */
struct CsvBriefs {
    BriefIssues fileIssues;
    QList<CsvBriefRow> rows;

    /** True when the file and every row are valid (and there is at least one row). */
    bool ok() const;
    /** The number of rows without issues. */
    int validCount() const;
    /** The briefs of the rows without issues, in file order. */
    QList<Brief> validBriefs() const;
};

/**
 * Reads briefs from CSV (RFC 4180) with a header row naming the columns: product_name,
 * audience, value_proposition, tone, brand_notes, aspect_ratio, image_count, output_format
 * (case, surrounding spaces and space-for-underscore don't matter; the first three are required).
 * Quoted cells may hold commas, "" and line breaks; LF or CRLF; a UTF-8 byte order mark, blank
 * lines and rows of empty cells are skipped; an empty image cell takes the default. Files
 * separated by semicolons or tabs (European Excel, spreadsheet paste) are read too. Unknown,
 * repeated or missing columns, rows with the wrong number of cells, unterminated quotes, bytes
 * that aren't UTF-8 and anything validateBrief() finds are reported; nothing is skipped silently.
 * At most MaxBriefCsvBytes and MaxBriefCsvRows.
 */
CsvBriefs briefsFromCsv(const QByteArray &csv);

} // namespace brieflow
