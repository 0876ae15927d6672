// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Private RFC 4180 tokenizer behind briefsFromCsv(). Not part of the API.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace brieflow::csv {

/** One record (a spreadsheet row) with its cells as raw bytes, quotes removed. */
struct Record {
    int row = 0;               // 1-based, counting every record including blank ones
    QList<QByteArray> cells;   // a blank line has one empty cell
    int unterminatedCell = -1; // index of a cell whose opening quote is never closed
};

/**
 * The delimiter the first record uses: ',' unless it has no comma outside quotes but has a
 * semicolon (European Excel) or a tab (pasted from a spreadsheet).
 */
char detectDelimiter(QByteArrayView data);

/**
 * Splits @p data into records. Quoted cells may hold delimiters, "" and line breaks. Lines end
 * with LF, CRLF or CR. Lenient where spreadsheets are: spaces before an opening quote are
 * dropped, a quote inside an unquoted cell or text after a closing quote is kept as written. A
 * final line break does not start a record. An unterminated quote ends parsing; that record is
 * last and flags the cell.
 */
QList<Record> parse(QByteArrayView data, char delimiter);

} // namespace brieflow::csv
