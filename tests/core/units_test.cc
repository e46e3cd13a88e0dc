#include "core/units.h"

#include <gtest/gtest.h>

namespace batteryhub {
namespace {

TEST(UnitsTest, ConvertsVendorUnitsToCanonical) {
  EXPECT_DOUBLE_EQ(ToCanonical(*LookupUnit("mAh"), 2500), 2.5);
  EXPECT_EQ(ToCanonical(*LookupUnit("mAh"), 4.2), 0.0042);  // no binary noise
  EXPECT_DOUBLE_EQ(ToCanonical(*LookupUnit("min"), 2), 120);
  EXPECT_DOUBLE_EQ(ToCanonical(*LookupUnit("h"), 1.5), 5400);
  EXPECT_EQ(ToCanonical(*LookupUnit("K"), 298.15), 25);
  EXPECT_DOUBLE_EQ(ToCanonical(*LookupUnit("°C"), -20), -20);
  EXPECT_DOUBLE_EQ(ToCanonical(*LookupUnit("mg/cm2"), 18.5), 0.185);
  EXPECT_DOUBLE_EQ(ToCanonical(*LookupUnit("um"), 11.2), 11.2e-6);
  EXPECT_DOUBLE_EQ(ToCanonical(*LookupUnit("wt%"), 48.66), 0.4866);
  EXPECT_DOUBLE_EQ(ToCanonical(*LookupUnit("J"), 3600), 1);
}

TEST(UnitsTest, DimensionsAndCanonicalNames) {
  EXPECT_EQ(LookupUnit("mV")->dimension, Dimension::kVoltage);
  EXPECT_EQ(LookupUnit("µm")->dimension, Dimension::kLength);
  EXPECT_EQ(CanonicalUnit(Dimension::kCharge), "Ah");
  EXPECT_EQ(CanonicalUnit(Dimension::kTemperature), "degC");
}

TEST(UnitsTest, UnknownAndAmbiguousUnitsAreRefused) {
  EXPECT_FALSE(LookupUnit("C").has_value());  // coulomb, Celsius or C-rate?
  EXPECT_FALSE(LookupUnit("furlong").has_value());
  EXPECT_FALSE(LookupUnit("").has_value());
  EXPECT_FALSE(LookupUnit("MAH").has_value());  // case matters: mAh vs MAh
}

}  // namespace
}  // namespace batteryhub
