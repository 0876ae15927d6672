// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/csvimportdialog.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/queue/jobestimates.h"

namespace brieflow::ui {

namespace {

QString fieldName(const QString &field)
{
    const QString label = briefFieldLabel(field);
    return label.isEmpty() ? field : label;
}

QString issueLine(const BriefIssue &issue)
{
    return issue.field.isEmpty()
               ? issue.message
               : QStringLiteral("%1: %2").arg(fieldName(issue.field), issue.message);
}

} // namespace

CsvImportDialog::CsvImportDialog(const QString &fileName, const QByteArray &csv, QWidget *parent)
    : QDialog(parent)
    , m_result(briefsFromCsv(csv))
{
    setWindowTitle(tr("Import briefs from %1").arg(QFileInfo(fileName).fileName()));
    resize(820, 560);
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(8);

    const int valid = m_result.validCount();
    const int total = static_cast<int>(m_result.rows.size());
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    if (!m_result.fileIssues.isEmpty())
        m_summary->setText(tr("This file can't be imported as it is; see the problems below."));
    else if (total == 0)
        m_summary->setText(tr("This file has a header but no brief rows."));
    else if (valid == total)
        m_summary->setText(tr("%n brief(s) ready to queue.", nullptr, total));
    else
        m_summary->setText(tr("%1 of %2 rows are ready to queue. Rows with problems are left "
                              "out; fix them in the file and import it again.")
                               .arg(valid)
                               .arg(total));
    layout->addWidget(m_summary);

    m_table = new QTableWidget(total, 4, this);
    m_table->setAccessibleName(tr("Rows of the CSV file"));
    m_table->setHorizontalHeaderLabels({tr("Row"), tr("Product"), tr("Audience"), tr("Status")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_table->setColumnWidth(1, 180);
    m_table->setColumnWidth(2, 220);
    const QIcon ok(QStringLiteral(":/icons/state-succeeded.svg"));
    const QIcon bad(QStringLiteral(":/icons/state-failed.svg"));
    QStringList problems;
    for (const BriefIssue &issue : std::as_const(m_result.fileIssues))
        problems << tr("File · %1").arg(issueLine(issue));
    for (int i = 0; i < total; ++i) {
        const CsvBriefRow &row = m_result.rows.at(i);
        auto *number = new QTableWidgetItem(QString::number(row.row));
        number->setData(Qt::TextAlignmentRole, QVariant(Qt::AlignRight | Qt::AlignVCenter));
        m_table->setItem(i, 0, number);
        m_table->setItem(i, 1, new QTableWidgetItem(row.brief.productName));
        m_table->setItem(i, 2, new QTableWidgetItem(row.brief.audience));
        QStringList lines;
        for (const BriefIssue &issue : row.issues) {
            lines << issueLine(issue);
            problems << tr("Row %1 · %2").arg(row.row).arg(issueLine(issue));
        }
        auto *status = new QTableWidgetItem(
            row.issues.isEmpty() ? ok : bad,
            row.issues.isEmpty() ? tr("Ready") : lines.join(QStringLiteral("; ")));
        status->setToolTip(lines.join(QLatin1Char('\n')));
        m_table->setItem(i, 3, status);
    }
    layout->addWidget(m_table, 3);

    if (!problems.isEmpty()) {
        auto *label = new QLabel(tr("Problems (%1)").arg(problems.size()), this);
        QFont bold = label->font();
        bold.setBold(true);
        label->setFont(bold);
        layout->addWidget(label);
        m_problems = new QPlainTextEdit(problems.join(QLatin1Char('\n')), this);
        m_problems->setReadOnly(true);
        m_problems->setAccessibleName(tr("Problems found in the file"));
        label->setBuddy(m_problems);
        layout->addWidget(m_problems, 1);
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    const int queueable = m_result.fileIssues.isEmpty() ? valid : 0;
    m_queue = buttons->addButton(tr("Queue %n valid row(s)", nullptr, queueable),
                                 QDialogButtonBox::AcceptRole);
    m_queue->setEnabled(queueable > 0);
    m_queue->setDefault(queueable > 0);
    m_queue->setToolTip(tr("Add the rows marked Ready to the queue"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_cost = new QLabel(this);
    m_cost->setWordWrap(true);
    m_cost->setAccessibleName(tr("Estimated cost"));
    auto *bottom = new QHBoxLayout;
    bottom->setSpacing(16);
    bottom->addWidget(m_cost, 1);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);
}

void CsvImportDialog::setEstimates(JobEstimates *estimates)
{
    const QList<Brief> briefs = validBriefs();
    if (!estimates || briefs.isEmpty()) {
        m_cost->clear();
        m_cost->setToolTip({});
        return;
    }
    m_cost->setText(estimates->costEstimateText(briefs));
    m_cost->setToolTip(tr("From the median run time of each step's model in finished jobs × its "
                          "price (Settings ▸ Cost). The image step counts once per image a row "
                          "asks for."));
}

QString CsvImportDialog::problemsText() const
{
    return m_problems ? m_problems->toPlainText() : QString();
}

} // namespace brieflow::ui
