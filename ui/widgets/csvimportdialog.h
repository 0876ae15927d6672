// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

#include "core/brief/briefcsv.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace brieflow::ui {

class JobEstimates;

/**
 * The preview of a CSV file of briefs before anything is queued: one table row per brief row
 * (its spreadsheet row number, product, audience, and "Ready" or its problems), the file's own
 * problems and every row problem listed as "Row N · field: message" below. "Queue N valid rows"
 * accepts; nothing is queued on Cancel. With setEstimates(), what queuing the valid rows is
 * likely to cost shows beside that button ("12 jobs · estimated cost about $0.42").
 */
class CsvImportDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CsvImportDialog)

public:
    CsvImportDialog(const QString &fileName, const QByteArray &csv, QWidget *parent = nullptr);

    const CsvBriefs &result() const { return m_result; }
    /** The briefs that would be queued, in file order. */
    QList<Brief> validBriefs() const
    {
        return m_result.fileIssues.isEmpty() ? m_result.validBriefs() : QList<Brief>();
    }

    QTableWidget *table() const { return m_table; }
    QPushButton *queueButton() const { return m_queue; }
    /** The cost estimate beside the queue button (empty until setEstimates()). */
    QLabel *costLabel() const { return m_cost; }
    /** Shows what the valid rows would cost, from @p estimates (null: nothing shown). */
    void setEstimates(JobEstimates *estimates);
    /** Every problem as shown, one per line. */
    QString problemsText() const;

private:
    CsvBriefs m_result;
    QTableWidget *m_table = nullptr;
    QPlainTextEdit *m_problems = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_cost = nullptr;
    QPushButton *m_queue = nullptr;
};

} // namespace brieflow::ui
