// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SettingsDialog ▸ Cost: the price table editor and the daily budget.
#include <cmath>

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/settings.h"
#include "ui/shell/settingsdialog.h"
#include "ui/widgets/fieldmessage.h"

namespace brieflow::ui {

namespace {

enum PriceColumn { ModelColumn, PriceColumn, PriceColumnCount };

QLabel *quiet(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
    label->setPalette(p);
    return label;
}

/** Prices are shown with a dot whatever the locale (they are tiny numbers people copy from
 *  Replicate's pages), and read with a dot or the locale's decimal separator. */
QString priceText(double usd)
{
    QString text = QLocale::c().toString(usd, 'f', 10); // never "2.5e-05"
    while (text.endsWith(QLatin1Char('0')))
        text.chop(1);
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

std::optional<double> parseAmount(const QString &text)
{
    const QString t = text.trimmed().remove(QLatin1Char('$'));
    bool ok = false;
    double value = QLocale::c().toDouble(t, &ok);
    if (!ok)
        value = QLocale().toDouble(t, &ok);
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    return value;
}

} // namespace

QWidget *SettingsDialog::buildCostPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(16, 8, 16, 8);
    layout->setSpacing(8);
    auto *title = new QLabel(tr("Cost"), page);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    title->setFont(titleFont);
    layout->addWidget(title);
    layout->addWidget(quiet(tr("Replicate bills most models by the seconds they run. Brieflow "
                               "estimates costs as each prediction's run time (predict_time) × "
                               "the model's price per second below. The defaults approximate "
                               "Replicate's published prices; check your models' pages."),
                            page));

    m_prices = new QTableWidget(0, PriceColumnCount, page);
    m_prices->setAccessibleName(tr("Prices per model"));
    m_prices->setHorizontalHeaderLabels({tr("Model"), tr("US dollars per second")});
    m_prices->verticalHeader()->hide();
    m_prices->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_prices->setSelectionMode(QAbstractItemView::SingleSelection);
    m_prices->setShowGrid(false);
    m_prices->setAlternatingRowColors(true);
    m_prices->horizontalHeader()->setSectionResizeMode(ModelColumn, QHeaderView::Stretch);
    m_prices->horizontalHeader()->setSectionResizeMode(PriceColumn, QHeaderView::Interactive);
    m_prices->setColumnWidth(PriceColumn, 170);
    // Room for a handful of models; the page doesn't grow an empty table.
    const int rowHeight = m_prices->verticalHeader()->defaultSectionSize();
    m_prices->setMinimumHeight(rowHeight * 3 + m_prices->horizontalHeader()->sizeHint().height());
    m_prices->setMaximumHeight(rowHeight * 6 + m_prices->horizontalHeader()->sizeHint().height()
                               + 4);
    auto *pricesLabel = new QLabel(tr("Prices"), page);
    QFont bold = pricesLabel->font();
    bold.setBold(true);
    pricesLabel->setFont(bold);
    pricesLabel->setBuddy(m_prices);
    layout->addSpacing(4);
    layout->addWidget(pricesLabel);
    layout->addWidget(m_prices);

    auto *rowButtons = new QHBoxLayout;
    m_addPrice = new QPushButton(tr("Add model"), page);
    m_addPrice->setToolTip(tr("Add a row for another model (owner/name)"));
    m_removePrice = new QPushButton(tr("Remove"), page);
    m_removePrice->setToolTip(tr("Remove the selected model; it then costs the fallback price"));
    m_restorePrices = new QPushButton(tr("Restore defaults"), page);
    m_restorePrices->setToolTip(tr("Put Brieflow's default prices back"));
    rowButtons->addWidget(m_addPrice);
    rowButtons->addWidget(m_removePrice);
    rowButtons->addStretch();
    rowButtons->addWidget(m_restorePrices);
    layout->addLayout(rowButtons);

    const Settings &s = *m_context.settings;
    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    auto *budgetForm = new QFormLayout;
    budgetForm->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_fallbackPrice = new QLineEdit(page);
    m_fallbackPrice->setAccessibleName(tr("Fallback price"));
    m_fallbackPrice->setToolTip(tr("US dollars per second for models not in the table"));
    m_fallbackPrice->setPlaceholderText(priceText(PriceTable::defaults().fallbackPerSecond()));
    m_dailyBudget = new QLineEdit(page);
    m_dailyBudget->setAccessibleName(tr("Daily budget"));
    m_dailyBudget->setPlaceholderText(tr("No budget"));
    m_dailyBudget->setToolTip(tr("US dollars a day. When today's spending reaches it, the queue "
                                 "pauses: jobs wait, nothing fails. Empty or 0: no budget."));
    const double budget = dailyBudgetUsd(s);
    if (budget > 0)
        m_dailyBudget->setText(priceText(budget));
    m_fallbackPrice->setMaximumWidth(200);
    m_dailyBudget->setMaximumWidth(200);
    form->addRow(tr("Other models (USD per second)"), m_fallbackPrice);
    layout->addLayout(form);

    auto *budgetLabel = new QLabel(tr("Daily budget"), page);
    budgetLabel->setFont(bold);
    layout->addSpacing(8);
    layout->addWidget(budgetLabel);
    layout->addWidget(quiet(tr("When what Brieflow spent today reaches the budget, the queue "
                               "pauses: jobs wait for you, none fail. Raise or clear the budget "
                               "to go on."),
                            page));
    budgetForm->addRow(tr("US dollars a day"), m_dailyBudget);
    layout->addLayout(budgetForm);
    m_costMessage = new FieldMessage(tr("Prices and the budget apply as soon as you save."), page);
    m_costMessage->setAccessibleName(tr("Cost settings message"));
    layout->addWidget(m_costMessage);
    layout->addStretch(1);

    QString unreadable;
    showPrices(modelPrices(s, &unreadable));
    if (!unreadable.isEmpty())
        m_costMessage->showProblem(unreadable);

    connect(m_addPrice, &QPushButton::clicked, this, [this] {
        addPriceRow({}, 0);
        const int row = m_prices->rowCount() - 1;
        m_prices->setCurrentCell(row, ModelColumn);
        m_prices->editItem(m_prices->item(row, ModelColumn));
    });
    connect(m_removePrice, &QPushButton::clicked, this, [this] {
        const int row = m_prices->currentRow();
        if (row >= 0)
            m_prices->removeRow(row);
        m_removePrice->setEnabled(m_prices->currentRow() >= 0);
    });
    connect(m_restorePrices, &QPushButton::clicked, this, [this] {
        showPrices(PriceTable::defaults());
        m_costMessage->showHint();
    });
    connect(m_prices, &QTableWidget::currentCellChanged, this,
            [this](int row) { m_removePrice->setEnabled(row >= 0); });
    connect(m_prices, &QTableWidget::itemChanged, m_costMessage, &FieldMessage::showHint);
    connect(m_fallbackPrice, &QLineEdit::textEdited, m_costMessage, &FieldMessage::showHint);
    connect(m_dailyBudget, &QLineEdit::textEdited, m_costMessage, &FieldMessage::showHint);
    m_removePrice->setEnabled(false);
    return page;
}

void SettingsDialog::addPriceRow(const QString &model, double usdPerSecond)
{
    const QSignalBlocker block(m_prices);
    const int row = m_prices->rowCount();
    m_prices->insertRow(row);
    auto *name = new QTableWidgetItem(model);
    name->setToolTip(tr("The model as owner/name (every version)"));
    auto *price = new QTableWidgetItem(model.isEmpty() ? QString() : priceText(usdPerSecond));
    price->setData(Qt::TextAlignmentRole, QVariant(Qt::AlignRight | Qt::AlignVCenter));
    price->setToolTip(tr("US dollars per second of the model's run time"));
    m_prices->setItem(row, ModelColumn, name);
    m_prices->setItem(row, PriceColumn, price);
}

void SettingsDialog::showPrices(const PriceTable &prices)
{
    m_prices->setRowCount(0);
    for (const PriceTable::Entry &entry : prices.entries())
        addPriceRow(entry.model, entry.usdPerSecond);
    m_fallbackPrice->setText(priceText(prices.fallbackPerSecond()));
}

std::optional<PriceTable> SettingsDialog::editedPrices(QString *problem) const
{
    const auto refuse = [problem](const QString &why) -> std::optional<PriceTable> {
        if (problem)
            *problem = why;
        return std::nullopt;
    };
    const auto checkAmount = [](const QString &text, const QString &what,
                                QString *why) -> std::optional<double> {
        const auto value = parseAmount(text);
        if (!value) {
            *why = text.trimmed().isEmpty()
                       ? tr("%1 has no price: enter US dollars per second, e.g. 0.0014.").arg(what)
                       : tr("%1: “%2” is not a number. Enter US dollars per second, e.g. 0.0014.")
                             .arg(what, text.trimmed());
            return std::nullopt;
        }
        if (*value < 0) {
            *why = tr("%1: a price can't be negative.").arg(what);
            return std::nullopt;
        }
        return value;
    };

    PriceTable table;
    QString why;
    QSet<QString> seen;
    for (int row = 0; row < m_prices->rowCount(); ++row) {
        const QTableWidgetItem *nameItem = m_prices->item(row, ModelColumn);
        const QTableWidgetItem *priceItem = m_prices->item(row, PriceColumn);
        const QString model = nameItem ? nameItem->text().trimmed() : QString();
        const QString price = priceItem ? priceItem->text() : QString();
        if (model.isEmpty() && price.trimmed().isEmpty())
            continue; // an added row left empty
        if (model.isEmpty())
            return refuse(
                tr("Row %1 has a price but no model: write the model as owner/name.").arg(row + 1));
        if (!model.contains(QLatin1Char('/')) || model.contains(QLatin1Char(' ')))
            return refuse(tr("Row %1: “%2” is not a model name; write it as owner/name, e.g. "
                             "black-forest-labs/flux-schnell.")
                              .arg(row + 1)
                              .arg(model));
        const QString base = model.section(QLatin1Char(':'), 0, 0).toLower();
        if (seen.contains(base))
            return refuse(tr("%1 is in the table twice; keep one row.").arg(model));
        seen.insert(base);
        const auto value = checkAmount(price, model, &why);
        if (!value || !table.setPrice(model, *value))
            return refuse(why.isEmpty() ? tr("%1: the price can't be used.").arg(model) : why);
    }
    const auto fallback =
        checkAmount(m_fallbackPrice->text().trimmed().isEmpty() ? m_fallbackPrice->placeholderText()
                                                                : m_fallbackPrice->text(),
                    tr("Other models"), &why);
    if (!fallback || !table.setFallbackPerSecond(*fallback))
        return refuse(why);
    return table;
}

std::optional<double> SettingsDialog::editedBudget(QString *problem) const
{
    const QString text = m_dailyBudget->text().trimmed();
    if (text.isEmpty())
        return 0.0;
    const auto value = parseAmount(text);
    if (!value || *value < 0) {
        if (problem)
            *problem = !value ? tr("Daily budget: “%1” is not a number. Enter US dollars, e.g. "
                                   "5, or leave it empty for no budget.")
                                    .arg(text)
                              : tr("Daily budget: it can't be negative; leave it empty for no "
                                   "budget.");
        return std::nullopt;
    }
    return value;
}

bool SettingsDialog::checkCost()
{
    QString problem;
    if (!editedPrices(&problem) || !editedBudget(&problem)) {
        m_costMessage->showProblem(problem);
        return false;
    }
    m_costMessage->showHint();
    return true;
}

} // namespace brieflow::ui
